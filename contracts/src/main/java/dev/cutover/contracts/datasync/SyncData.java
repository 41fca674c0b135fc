package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import dev.cutover.contracts.Strategy;
import java.util.UUID;

/**
 * Move every database of the source environment to the target; {@code finalSync}: the last pass, inside the freeze.
 * {@code wayBack}: the final sync also starts the way back, the target replicating to the source from the switch point
 * (false for a one-way move).
 */
public record SyncData(UUID migrationId, String environment, String targetEnvironment, Strategy strategy, boolean finalSync,
                       boolean wayBack) implements MigrationMessage {
    public SyncData {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetEnvironment, "targetEnvironment");
        Required.present(strategy, "strategy");
    }
}
