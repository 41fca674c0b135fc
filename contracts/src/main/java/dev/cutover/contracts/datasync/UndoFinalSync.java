package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Compensation of the final sync: lift the write fence it set on the environment's databases, so they take writes again. */
public record UndoFinalSync(UUID migrationId, String environment) implements MigrationMessage {
    public UndoFinalSync {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
    }
}
