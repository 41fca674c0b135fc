package dev.cutover.contracts.traffic;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.List;
import java.util.UUID;

/** The old addresses that forwarded no longer answer ({@code removed}, empty when none was left). */
public record ForwardingEnded(UUID migrationId, List<String> removed) implements MigrationMessage {
    public ForwardingEnded {
        Required.present(migrationId, "migrationId");
        Required.present(removed, "removed");
    }
}
