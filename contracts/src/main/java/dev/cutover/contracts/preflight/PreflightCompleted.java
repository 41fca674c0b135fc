package dev.cutover.contracts.preflight;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Every blocker passed; warnings may be present. */
public record PreflightCompleted(UUID migrationId, boolean recheck, java.util.List<CheckResult> checks) implements MigrationMessage {
    public PreflightCompleted {
        Required.present(migrationId, "migrationId");
        Required.present(checks, "checks");
    }
}
