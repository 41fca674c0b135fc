package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * A migration is finalized: the source's old platform address stops forwarding to {@code targetEnvironment}, and what
 * the switch-over kept to point the routes back is forgotten.
 */
public record EndForwarding(UUID migrationId, String environment, String targetEnvironment) implements MigrationMessage {
    public EndForwarding {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
