package dev.cutover.contracts.migration;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.cutover.contracts.Message;
import dev.cutover.contracts.Required;
import dev.cutover.contracts.Strategy;
import java.time.OffsetDateTime;

/**
 * Portal → orchestrator: start a migration. Keyed by environment; the CloudEvent id is the idempotency key.
 * {@code freezeBudgetMillis}: the longest freeze accepted ({@code null}: the orchestrator's default). {@code oneWay}: move
 * without a way back (no reverse replication; a rollback then copies the target back inside its freeze).
 * {@code switchOverAt} (and optionally {@code switchOverUntil}): the switch-over window; the migration confirms itself in it.
 * {@code tenant}: on whose behalf the portal asks; a request naming an environment that tenant does not own is refused
 * (dead-lettered with the reason) and changes nothing.
 */
public record MigrationRequested(String environment, String targetServer, Strategy strategy, String newName, boolean autoConfirm,
                                 String requestedBy, Long freezeBudgetMillis, boolean oneWay, OffsetDateTime switchOverAt,
                                 OffsetDateTime switchOverUntil, String tenant) implements Message {
    public MigrationRequested {
        Required.present(environment, "environment");
        Required.present(targetServer, "targetServer");
        Required.present(tenant, "tenant");
    }

    @Override
    @JsonIgnore
    public String subject() {
        return environment;
    }
}
