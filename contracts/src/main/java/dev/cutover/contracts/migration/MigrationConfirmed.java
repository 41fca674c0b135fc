package dev.cutover.contracts.migration;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Portal → orchestrator: the human confirmation that lets the switch-over run. */
public record MigrationConfirmed(UUID migrationId, String confirmedBy) implements MigrationMessage {
    public MigrationConfirmed {
        Required.present(migrationId, "migrationId");
    }
}
