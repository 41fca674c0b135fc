package dev.cutover.contracts.migration;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * Portal → orchestrator: the human confirmation that lets the switch-over run, on behalf of {@code tenant}: a migration of
 * another tenant's is, to it, one that does not exist (dead-lettered).
 */
public record MigrationConfirmed(UUID migrationId, String confirmedBy, String tenant) implements MigrationMessage {
    public MigrationConfirmed {
        Required.present(migrationId, "migrationId");
        Required.present(tenant, "tenant");
    }
}
