package dev.cutover.contracts.migration;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import dev.cutover.contracts.Step;
import java.util.UUID;

/**
 * A service reports progress on a step: a human line and figures (rows, bytes, lag...). {@code part}, when the figures
 * are one database's or addon's (a table copied, a replication's lag), names it, so that reports of several parts are
 * not read as one series; null for the whole step.
 */
public record StepProgressed(UUID migrationId, Step step, String detail, java.util.Map<String, Long> figures, String part)
        implements MigrationMessage {
    public StepProgressed {
        Required.present(migrationId, "migrationId");
        Required.present(step, "step");
        Required.present(detail, "detail");
    }
}
