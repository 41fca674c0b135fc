package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Traffic reaches the source again. */
public record TrafficSwitchCompensated(UUID migrationId) implements MigrationMessage {
    public TrafficSwitchCompensated {
        Required.present(migrationId, "migrationId");
    }
}
