package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** A table differs between source and target; the reason names it. */
public record VerificationFailed(UUID migrationId, java.util.List<TableComparison> tables, String reason) implements MigrationMessage {
    public VerificationFailed {
        Required.present(migrationId, "migrationId");
        Required.present(tables, "tables");
        Required.present(reason, "reason");
    }
}
