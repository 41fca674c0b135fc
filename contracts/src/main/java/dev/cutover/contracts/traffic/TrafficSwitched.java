package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * Traffic now reaches the target. {@code dnsChanges}: the records the user must change at their DNS provider
 * ("shop.example.com CNAME shop.apps.localhost -> shop-eu-2.apps.localhost"); until then the old address forwards.
 */
public record TrafficSwitched(UUID migrationId, java.util.List<String> addresses, long freezeMillis, long heldRequests,
                              java.util.List<String> dnsChanges) implements MigrationMessage {
    public TrafficSwitched {
        Required.present(migrationId, "migrationId");
        Required.present(addresses, "addresses");
    }
}
