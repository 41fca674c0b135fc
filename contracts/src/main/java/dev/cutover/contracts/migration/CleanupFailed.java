package dev.cutover.contracts.migration;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Required;
import dev.cutover.contracts.Step;
import java.util.UUID;

/**
 * Finalizing a migration, the cleanup of what {@code step} left behind could not be done (the platform or the router
 * refused it): it is tried again; nothing of the move itself is undone.
 */
public record CleanupFailed(UUID migrationId, Step step, String reason) implements Failure {
    public CleanupFailed {
        Required.present(migrationId, "migrationId");
        Required.present(step, "step");
        Required.present(reason, "reason");
    }
}
