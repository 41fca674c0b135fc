package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * The freeze begins: hold the environment's new requests (queued, not refused) and let in-flight ones finish.
 * {@code switchTo} is the environment the switch-over will point the routes at, looked up before the freeze begins so
 * that the freeze does not wait for it.
 */
public record HoldTraffic(UUID migrationId, String environment, String switchTo) implements MigrationMessage {
    public HoldTraffic {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(switchTo, "switchTo");
    }
}
