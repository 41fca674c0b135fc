package dev.cutover.contracts.preflight;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** At least one blocker failed: the migration is refused. */
public record PreflightFailed(UUID migrationId, boolean recheck, java.util.List<CheckResult> checks, String reason) implements Failure {
    public PreflightFailed {
        Required.present(migrationId, "migrationId");
        Required.present(checks, "checks");
        Required.present(reason, "reason");
    }
}
