package dev.cutover.contracts.migration;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Public progress: a migration has waited for confirmation longer than the configured time. Sent once per wait. */
public record MigrationStale(UUID migrationId, String environment, OffsetDateTime waitingSince, OffsetDateTime at)
        implements MigrationMessage {
    public MigrationStale {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(waitingSince, "waitingSince");
        Required.present(at, "at");
    }
}
