package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * A paused migration goes on: every target database applies its source's changes again, from where it stopped.
 */
public record ResumeReplication(UUID migrationId, String environment, String targetEnvironment) implements MigrationMessage {
    public ResumeReplication {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
