package dev.cutover.contracts.provisioning;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Nothing of the source {@code environment} is left on its server. */
public record SourceRetired(UUID migrationId, String environment) implements MigrationMessage {
    public SourceRetired {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
    }
}
