package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * A {@code live} migration's replication slot makes the source keep more WAL than the configured limit: the source's
 * disk fills while the migration waits. Sent once per migration and database.
 */
public record WalRetentionExceeded(UUID migrationId, String database, long retainedBytes, long limitBytes) implements MigrationMessage {
    public WalRetentionExceeded {
        Required.present(migrationId, "migrationId");
        Required.present(database, "database");
    }
}
