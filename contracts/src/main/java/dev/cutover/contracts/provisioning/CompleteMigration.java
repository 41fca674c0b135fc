package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** After the switch-over: mark the target protected and default, unfreeze it. */
public record CompleteMigration(UUID migrationId, String environment, String targetName) implements MigrationMessage {
    public CompleteMigration {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetName, "targetName");
    }
}
