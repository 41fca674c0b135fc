package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Compensation: stop any replication and drop the target's copy. */
public record UndoSyncData(UUID migrationId, String environment, String targetEnvironment) implements MigrationMessage {
    public UndoSyncData {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
