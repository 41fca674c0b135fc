package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * A person pauses a live migration before its switch-over: every target database stops applying the replication from
 * its source; the slots are kept, so nothing is lost and the WAL guard goes on watching.
 */
public record PauseReplication(UUID migrationId, String environment, String targetEnvironment) implements MigrationMessage {
    public PauseReplication {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
