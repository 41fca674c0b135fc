package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The source is the default environment again. */
public record CompletionCompensated(UUID migrationId) implements MigrationMessage {
    public CompletionCompensated {
        Required.present(migrationId, "migrationId");
    }
}
