package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The target could not be provisioned. */
public record ProvisioningFailed(UUID migrationId, String reason) implements MigrationMessage {
    public ProvisioningFailed {
        Required.present(migrationId, "migrationId");
        Required.present(reason, "reason");
    }
}
