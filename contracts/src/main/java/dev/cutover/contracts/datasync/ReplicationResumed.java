package dev.cutover.contracts.datasync;

import dev.cutover.contracts.Required;
import java.util.UUID;

/** {@code done}: every database's replication is resumed; otherwise {@code detail} says which is not, and why. */
public record ReplicationResumed(UUID migrationId, boolean done, String detail) implements ReplicationToggled {
    public ReplicationResumed {
        Required.present(migrationId, "migrationId");
        Required.present(detail, "detail");
    }
}
