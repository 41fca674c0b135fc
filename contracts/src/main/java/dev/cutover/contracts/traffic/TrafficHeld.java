package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** No request reaches the source any more; new ones wait in the router. */
public record TrafficHeld(UUID migrationId) implements MigrationMessage {
    public TrafficHeld {
        Required.present(migrationId, "migrationId");
    }
}
