package dev.cutover.contracts.migration;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import dev.cutover.contracts.Step;
import java.util.UUID;

/** A service started working on a step. */
public record StepStarted(UUID migrationId, Step step) implements MigrationMessage {
    public StepStarted {
        Required.present(migrationId, "migrationId");
        Required.present(step, "step");
    }
}
