package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The write fence is lifted: the environment's databases take writes again. */
public record FinalSyncCompensated(UUID migrationId) implements MigrationMessage {
    public FinalSyncCompensated {
        Required.present(migrationId, "migrationId");
    }
}
