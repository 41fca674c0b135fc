package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The target could not be provisioned. */
public record ProvisioningFailed(UUID migrationId, String reason) implements Failure {
    public ProvisioningFailed {
        Required.present(migrationId, "migrationId");
        Required.present(reason, "reason");
    }
}
