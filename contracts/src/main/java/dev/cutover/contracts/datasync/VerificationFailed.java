package dev.cutover.contracts.datasync;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** A table differs between source and target; the reason names it. */
public record VerificationFailed(UUID migrationId, java.util.List<TableComparison> tables, String reason) implements Failure {
    public VerificationFailed {
        Required.present(migrationId, "migrationId");
        Required.present(tables, "tables");
        Required.present(reason, "reason");
    }
}
