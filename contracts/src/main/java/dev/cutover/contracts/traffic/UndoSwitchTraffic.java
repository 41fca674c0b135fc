package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Compensation (rollback): routes and addresses back to the source. */
public record UndoSwitchTraffic(UUID migrationId, String environment, String targetEnvironment) implements MigrationMessage {
    public UndoSwitchTraffic {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
