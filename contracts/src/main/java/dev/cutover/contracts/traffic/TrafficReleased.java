package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The source serves again; nothing was switched. */
public record TrafficReleased(UUID migrationId) implements MigrationMessage {
    public TrafficReleased {
        Required.present(migrationId, "migrationId");
    }
}
