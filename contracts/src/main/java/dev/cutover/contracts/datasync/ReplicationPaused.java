package dev.cutover.contracts.datasync;

import dev.cutover.contracts.Required;
import java.util.UUID;

/** {@code done}: every database's replication is paused; otherwise {@code detail} says which is not, and why. */
public record ReplicationPaused(UUID migrationId, boolean done, String detail) implements ReplicationToggled {
    public ReplicationPaused {
        Required.present(migrationId, "migrationId");
        Required.present(detail, "detail");
    }
}
