package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Point the environment's address at the target; the old address keeps forwarding. */
public record SwitchTraffic(UUID migrationId, String environment, String targetEnvironment) implements MigrationMessage {
    public SwitchTraffic {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
