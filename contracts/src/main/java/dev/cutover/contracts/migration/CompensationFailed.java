package dev.cutover.contracts.migration;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Required;
import dev.cutover.contracts.Step;
import java.util.UUID;

/** A step's compensation could not be done (the platform or a database refused it): the migration needs an operator. */
public record CompensationFailed(UUID migrationId, Step step, String reason) implements Failure {
    public CompensationFailed {
        Required.present(migrationId, "migrationId");
        Required.present(step, "step");
        Required.present(reason, "reason");
    }
}
