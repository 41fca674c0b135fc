package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** Compensation of {@link HoldTraffic}: the freeze ends without a switch; held requests go to the source. */
public record UndoHoldTraffic(UUID migrationId, String environment) implements MigrationMessage {
    public UndoHoldTraffic {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
    }
}
