package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Compare every table of source and target. */
public record VerifyTarget(UUID migrationId, String environment, String targetEnvironment) implements MigrationMessage {
    public VerifyTarget {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
