package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The target is gone and the source is unfrozen and running. */
public record ProvisioningCompensated(UUID migrationId) implements MigrationMessage {
    public ProvisioningCompensated {
        Required.present(migrationId, "migrationId");
    }
}
