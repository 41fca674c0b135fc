package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Every table of every PostgreSQL database, and every key of every Redis store, is on the target. */
public record DataSynced(UUID migrationId, boolean finalSync, long tables, long rows, long keys, long bytes, long millis)
        implements MigrationMessage {
    public DataSynced {
        Required.present(migrationId, "migrationId");
    }
}
