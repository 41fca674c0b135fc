package dev.cutover.contracts.migration;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Public progress: something needs a person's attention although the migration goes on (for example the source's disk). */
public record MigrationWarned(UUID migrationId, String environment, String warning, OffsetDateTime at) implements MigrationMessage {
    public MigrationWarned {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(warning, "warning");
        Required.present(at, "at");
    }
}
