package dev.cutover.orchestrator.saga;

import dev.cutover.contracts.Strategy;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What the commands of a migration are made of, and what decides when it may freeze: its downtime budget, the freeze
 * last predicted from the replication lag ({@code null} until measured), whether the user forced the switch-over, and
 * whether the move is one way (no way back is prepared), how often the failing action was tried already, of how many,
 * whether the rollback window is over (the way back removed), and its switch-over window ({@code switchOverAt} null: none).
 * {@code tenant}: whose migration it is, to which preflight holds the environment ({@code null}: whoever owns it).
 */
public record MigrationFacts(UUID id, String environment, String tenant, String targetServer, String targetName, Strategy strategy,
                             boolean autoConfirm, long freezeBudgetMillis, Long predictedFreezeMillis, boolean forced,
                             boolean oneWay, int attempts, int maxAttempts, boolean rollbackWindowOver,
                             OffsetDateTime switchOverAt, OffsetDateTime switchOverUntil) {

    /** "from 2026-12-02T20:00Z until 2026-12-02T21:00Z", for reasons. */
    String window() {
        return "from " + switchOverAt + (switchOverUntil == null ? "" : " until " + switchOverUntil);
    }


    /** A {@code live} migration freezes only on a measured prediction within its budget, unless forced. */
    boolean mayFreeze() {
        return strategy != Strategy.LIVE || forced || predictedFreezeMillis != null && predictedFreezeMillis <= freezeBudgetMillis;
    }

    String whyNotFreezing() {
        return predictedFreezeMillis == null ? "waiting for the first measurement of the replication lag to predict the freeze"
                : "predicted freeze " + predictedFreezeMillis + " ms is over the budget of " + freezeBudgetMillis
                        + " ms: waiting for the replication lag to fall (force to switch over now)";
    }
}
