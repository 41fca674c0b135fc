package dev.cutover.contracts.traffic;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The route stayed on the source. */
public record TrafficSwitchFailed(UUID migrationId, String reason) implements Failure {
    public TrafficSwitchFailed {
        Required.present(migrationId, "migrationId");
        Required.present(reason, "reason");
    }
}
