package dev.cutover.contracts.datasync;

import dev.cutover.contracts.MigrationMessage;
import dev.cutover.contracts.Required;
import java.util.UUID;

/**
 * Right before the freeze: answer once every database of {@code environment} replicating to {@code targetEnvironment} is
 * caught up (or the wait is over), so the freeze starts on a small backlog, not on the last lag report's word; with
 * {@code wayBack}, the way back's slots are made ready on the target too (creating one waits for the target server's
 * open transactions, which the freeze must not).
 */
public record AwaitCatchUp(UUID migrationId, String environment, String targetEnvironment, boolean wayBack) implements MigrationMessage {
    public AwaitCatchUp {
        Required.present(migrationId, "migrationId");
        Required.present(environment, "environment");
        Required.present(targetEnvironment, "targetEnvironment");
    }
}
