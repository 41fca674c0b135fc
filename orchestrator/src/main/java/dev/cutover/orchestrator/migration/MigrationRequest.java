package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.Strategy;

/**
 * What {@code POST /migrations} takes: the environment, the target server, the strategy (default live) and options;
 * {@code freezeBudgetMillis}: the longest freeze the user accepts (default {@code cutover.freeze.budget}); {@code oneWay}:
 * move without a way back (no reverse replication, and preflight does not require what it needs).
 */
public record MigrationRequest(String environment, String targetServer, Strategy strategy, String newName, Boolean autoConfirm,
                               Long freezeBudgetMillis, Boolean oneWay) {
}
