package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Traffic now reaches the target. */
public record TrafficSwitched(UUID migrationId, java.util.List<String> addresses, long freezeMillis) implements MigrationMessage {
    public TrafficSwitched {
        Required.present(migrationId, "migrationId");
        Required.present(addresses, "addresses");
    }
}
