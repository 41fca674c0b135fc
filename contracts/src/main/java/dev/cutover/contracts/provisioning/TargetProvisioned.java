package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The target environment exists, runs the source's release, and the source is frozen. */
public record TargetProvisioned(UUID migrationId, String targetEnvironment) implements MigrationMessage {
    public TargetProvisioned {
        Required.present(migrationId, "migrationId");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
