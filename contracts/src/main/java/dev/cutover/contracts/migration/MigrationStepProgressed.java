package dev.cutover.contracts.migration;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import dev.cutover.contracts.Step;
import java.util.UUID;

/** Public progress: a step started, progressed, completed, failed or was compensated. */
public record MigrationStepProgressed(UUID migrationId, Step step, String status, String detail, java.util.Map<String, Long> figures, java.time.OffsetDateTime at) implements MigrationMessage {
    public MigrationStepProgressed {
        Required.present(migrationId, "migrationId");
        Required.present(step, "step");
        Required.present(status, "status");
        Required.present(at, "at");
    }
}
