package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * A migration is finalized: the source {@code environment} (its processes, databases, roles and routes) is unprotected
 * and destroyed; {@code targetEnvironment} serves in its place.
 */
public record RetireSource(UUID migrationId, String environment, String targetEnvironment) implements MigrationMessage {
    public RetireSource {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
