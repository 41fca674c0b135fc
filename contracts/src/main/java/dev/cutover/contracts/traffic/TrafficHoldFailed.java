package dev.cutover.contracts.traffic;

import dev.cutover.contracts.Failure;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The router could not begin the freeze: requests still go to the source, nothing was switched. */
public record TrafficHoldFailed(UUID migrationId, String reason) implements Failure {
    public TrafficHoldFailed {
        Required.present(migrationId, "migrationId");
        Required.present(reason, "reason");
    }
}
