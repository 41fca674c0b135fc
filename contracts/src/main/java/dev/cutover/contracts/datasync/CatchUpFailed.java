package dev.cutover.contracts.datasync;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The replication's lag could not be read (its source unreachable, its slot gone); the reason says which and why. */
public record CatchUpFailed(UUID migrationId, String reason) implements Failure {
    public CatchUpFailed {
        Required.present(migrationId, "migrationId");
        Required.present(reason, "reason");
    }
}
