package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Every table matches on both sides. */
public record TargetVerified(UUID migrationId, java.util.List<TableComparison> tables) implements MigrationMessage {
    public TargetVerified {
        Required.present(migrationId, "migrationId");
        Required.present(tables, "tables");
    }
}
