package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Compensation: destroy the target environment and unfreeze the source. */
public record UndoProvisionTarget(UUID migrationId, String environment, String targetName) implements MigrationMessage {
    public UndoProvisionTarget {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetName, "targetName");
    }
}
