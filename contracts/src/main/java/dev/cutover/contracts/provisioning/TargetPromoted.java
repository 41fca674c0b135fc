package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The target is protected and the default environment. */
public record TargetPromoted(UUID migrationId, String targetEnvironment) implements MigrationMessage {
    public TargetPromoted {
        Required.present(migrationId, "migrationId");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
