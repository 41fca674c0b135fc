package dev.cutover.orchestrator.saga;

import dev.cutover.contracts.Strategy;
import java.util.UUID;

/** What the commands of a migration are made of. */
public record MigrationFacts(UUID id, String environment, String targetServer, String targetName, Strategy strategy,
                             boolean autoConfirm) {
}
