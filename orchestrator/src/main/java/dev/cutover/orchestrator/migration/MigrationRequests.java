package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.MalformedMessageException;
import dev.cutover.contracts.migration.MigrationConfirmed;
import dev.cutover.contracts.migration.MigrationRequested;
import dev.cutover.kit.inbox.Deliveries;
import dev.cutover.kit.problem.Problem;
import dev.cutover.orchestrator.tenant.Caller;
import dev.cutover.platform.Platform;
import dev.cutover.platform.PlatformException;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * A portal's requests from the requests topic: the same actions as the REST API's, each on behalf of the tenant it names.
 * A refused request changes nothing; the portal sees no migration for it, and the reason goes to the dead letters.
 */
@ApplicationScoped
public class MigrationRequests {

    @Inject
    Migrations migrations;

    @Inject
    Deliveries deliveries;

    @Inject
    Platform platform;

    @Incoming("requests")
    @Blocking(ordered = false)
    public void receive(String record) {
        deliveries.deliver("requests", record, this);
    }

    /** The CloudEvent id is the idempotency key. */
    public void on(MigrationRequested r, String messageId) {
        Caller portal = Caller.onBehalfOf(r.tenant(), r.requestedBy() == null ? "portal" : r.requestedBy());
        try {
            // Checked here rather than left to preflight, so that a request for another tenant's environment creates nothing.
            if (platform.environment(r.environment()).filter(e -> portal.sees(e.owner())).isEmpty()) {
                throw new MalformedMessageException("request refused: tenant " + r.tenant() + " has no environment " + r.environment());
            }
        } catch (PlatformException e) {
            throw new MalformedMessageException("request not taken: whose environment " + r.environment()
                    + " is could not be told (" + e.getMessage() + "); send it again");
        }
        try {
            migrations.create(new MigrationRequest(r.environment(), r.targetServer(), r.strategy(), r.newName(), r.autoConfirm(),
                    r.freezeBudgetMillis(), r.oneWay(), r.switchOverAt(), r.switchOverUntil()), messageId, portal);
        } catch (Problem refused) {
            throw new MalformedMessageException("request refused: " + refused.getMessage());
        }
    }

    public void on(MigrationConfirmed c) {
        try {
            migrations.confirm(c.migrationId(), Caller.onBehalfOf(c.tenant(), c.confirmedBy() == null ? "portal" : c.confirmedBy()));
        } catch (Problem refused) {
            throw new MalformedMessageException("confirmation refused: " + refused.getMessage());
        }
    }
}
