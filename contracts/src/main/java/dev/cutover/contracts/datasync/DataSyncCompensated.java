package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Nothing of the data step is left on source or target. */
public record DataSyncCompensated(UUID migrationId) implements MigrationMessage {
    public DataSyncCompensated {
        Required.present(migrationId, "migrationId");
    }
}
