package dev.cutover.orchestrator.saga;

import dev.cutover.contracts.Strategy;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What the saga decides with: the move its commands are made of, the gate that decides when it switches over, how often
 * the failing action was tried, and whether its rollback window is over (the way back removed).
 */
public record MigrationFacts(Move move, Gate gate, Tries tries, boolean rollbackWindowOver) {

    /**
     * What every command is made of. {@code tenant}: whose migration it is, to which preflight holds the environment
     * ({@code null}: whoever owns it); {@code oneWay}: no way back is prepared.
     */
    public record Move(UUID id, String environment, String tenant, String targetServer, String targetName, Strategy strategy,
                       boolean oneWay) {
    }

    /**
     * When the switch-over may start: by itself or on confirmation, in its switch-over window ({@code switchOverAt} null:
     * none), within its downtime budget on the freeze last predicted from the replication lag ({@code null} until
     * measured), or forced by the user.
     */
    public record Gate(boolean autoConfirm, OffsetDateTime switchOverAt, OffsetDateTime switchOverUntil, long freezeBudgetMillis,
                       Long predictedFreezeMillis, boolean forced) {

        /** "from 2026-12-02T20:00Z until 2026-12-02T21:00Z", for reasons. */
        String window() {
            return "from " + switchOverAt + (switchOverUntil == null ? "" : " until " + switchOverUntil);
        }
    }

    /** How often the failing action was tried already, of how many tries in all. */
    public record Tries(int done, int max) {

        boolean anotherLeft() {
            return done + 1 < max;
        }

        /** "(attempt 2 of 5)", for reasons. */
        String attempt() {
            return "(attempt " + (done + 1) + " of " + max + ")";
        }
    }

    public UUID id() {
        return move.id();
    }

    public String environment() {
        return move.environment();
    }

    public String tenant() {
        return move.tenant();
    }

    public String targetServer() {
        return move.targetServer();
    }

    public String targetName() {
        return move.targetName();
    }

    public Strategy strategy() {
        return move.strategy();
    }

    public boolean oneWay() {
        return move.oneWay();
    }

    /** A {@code live} migration freezes only on a measured prediction within its budget, unless forced. */
    boolean mayFreeze() {
        return strategy() != Strategy.LIVE || gate.forced()
                || gate.predictedFreezeMillis() != null && gate.predictedFreezeMillis() <= gate.freezeBudgetMillis();
    }

    String whyNotFreezing() {
        return gate.predictedFreezeMillis() == null ? "waiting for the first measurement of the replication lag to predict the freeze"
                : "predicted freeze " + gate.predictedFreezeMillis() + " ms is over the budget of " + gate.freezeBudgetMillis()
                        + " ms: waiting for the replication lag to fall (force to switch over now)";
    }
}
