package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.MalformedMessageException;
import dev.cutover.contracts.migration.MigrationConfirmed;
import dev.cutover.contracts.migration.MigrationRequested;
import dev.cutover.kit.inbox.Deliveries;
import dev.cutover.kit.problem.Problem;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** A portal's requests from the requests topic: the same actions as the REST API's. */
@ApplicationScoped
public class MigrationRequests {

    @Inject
    Migrations migrations;

    @Inject
    Deliveries deliveries;

    @Incoming("requests")
    @Blocking
    public void receive(String record) {
        deliveries.deliver("requests", record, this);
    }

    /** The CloudEvent id is the idempotency key. */
    public void on(MigrationRequested r, String messageId) {
        try {
            migrations.create(new MigrationRequest(r.environment(), r.targetServer(), r.strategy(), r.newName(), r.autoConfirm(),
                    r.freezeBudgetMillis(), r.oneWay(), r.switchOverAt(), r.switchOverUntil()), messageId, r.requestedBy() == null ? "portal" : r.requestedBy());
        } catch (Problem refused) {
            // A refused request changes nothing; the portal sees no migration for it. The reason goes to the dead letters.
            throw new MalformedMessageException("request refused: " + refused.getMessage());
        }
    }

    public void on(MigrationConfirmed c) {
        migrations.confirm(c.migrationId(), c.confirmedBy() == null ? "portal" : c.confirmedBy());
    }
}
