package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * The rollback window of a completed migration ends (its time is up, or the user finalized it): remove the way back, the
 * replication from {@code targetEnvironment} to {@code environment}, with its slot, publication and subscription.
 */
public record EndWayBack(UUID migrationId, String environment, String targetEnvironment) implements MigrationMessage {
    public EndWayBack {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
