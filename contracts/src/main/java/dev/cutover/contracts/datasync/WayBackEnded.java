package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * The way back is removed: {@code removed} when no slot, publication or subscription of it is left on either side;
 * otherwise {@code detail} says what is left, and data-sync goes on removing it.
 */
public record WayBackEnded(UUID migrationId, boolean removed, String detail) implements MigrationMessage {
    public WayBackEnded {
        Required.present(migrationId, "migrationId");
    }
}
