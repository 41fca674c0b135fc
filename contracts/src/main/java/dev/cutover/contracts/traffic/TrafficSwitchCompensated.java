package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * Traffic reaches the source again. {@code freezeMillis} and {@code heldRequests}: the freeze this ended (a rollback's,
 * holding the target's requests), 0 when none was held.
 */
public record TrafficSwitchCompensated(UUID migrationId, long freezeMillis, int heldRequests) implements MigrationMessage {
    public TrafficSwitchCompensated {
        Required.present(migrationId, "migrationId");
    }
}
