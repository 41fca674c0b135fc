package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.Map;
import java.util.UUID;

/**
 * The replication is caught up, or the wait is over: {@code detail} says how far behind each database was, and after how
 * long; {@code figures}: {@code behindBytes} (the most any database was behind), {@code waitedMillis}.
 */
public record ReplicationCaughtUp(UUID migrationId, String detail, Map<String, Long> figures) implements MigrationMessage {
    public ReplicationCaughtUp {
        Required.present(migrationId, "migrationId");
        Required.present(detail, "detail");
        figures = figures == null ? Map.of() : Map.copyOf(figures);
    }
}
