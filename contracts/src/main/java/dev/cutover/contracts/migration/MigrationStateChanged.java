package dev.cutover.contracts.migration;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Public progress: the migration moved from one state to another, who moved it and why. */
public record MigrationStateChanged(UUID migrationId, String environment, String from, String to, String actor, String reason, java.time.OffsetDateTime at) implements MigrationMessage {
    public MigrationStateChanged {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(to, "to");
        Required.present(at, "at");
    }
}
