package dev.cutover.orchestrator.migration;

import dev.cutover.contracts.Strategy;

/**
 * What {@code POST /migrations} takes: the environment, the target server, the strategy (default live) and options;
 * {@code freezeBudgetMillis}: the longest freeze the user accepts (default {@code cutover.freeze.budget}).
 */
public record MigrationRequest(String environment, String targetServer, Strategy strategy, String newName, Boolean autoConfirm,
                               Long freezeBudgetMillis) {
}
