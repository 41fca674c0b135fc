package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Answer to {@link UndoHoldTraffic}: the source serves again; nothing was switched. */
public record TrafficHoldCompensated(UUID migrationId) implements MigrationMessage {
    public TrafficHoldCompensated {
        Required.present(migrationId, "migrationId");
    }
}
