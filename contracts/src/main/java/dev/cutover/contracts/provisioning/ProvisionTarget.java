package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Create the target environment with the source's skeleton and release, and freeze the source's settings. */
public record ProvisionTarget(UUID migrationId, String environment, String targetServer, String targetName) implements MigrationMessage {
    public ProvisionTarget {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetServer, "targetServer");
        Required.present(targetName, "targetName");
    }
}
