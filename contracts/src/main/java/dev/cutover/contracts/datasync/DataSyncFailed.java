package dev.cutover.contracts.datasync;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The data could not be moved. */
public record DataSyncFailed(UUID migrationId, String reason) implements Failure {
    public DataSyncFailed {
        Required.present(migrationId, "migrationId");
        Required.present(reason, "reason");
    }
}
