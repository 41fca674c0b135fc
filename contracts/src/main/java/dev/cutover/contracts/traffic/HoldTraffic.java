package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/** The freeze begins: hold the environment's new requests (queued, not refused) and let in-flight ones finish. */
public record HoldTraffic(UUID migrationId, String environment) implements MigrationMessage {
    public HoldTraffic {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
    }
}
