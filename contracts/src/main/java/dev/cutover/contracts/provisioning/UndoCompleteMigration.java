package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Rollback: the source is the default again and unfrozen; the target is no longer protected. */
public record UndoCompleteMigration(UUID migrationId, String environment, String targetName) implements MigrationMessage {
    public UndoCompleteMigration {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetName, "targetName");
    }
}
