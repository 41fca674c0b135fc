package dev.cutover.orchestrator.saga;

/** Where a migration is, as users see it. */
public enum MigrationState {
    PREFLIGHT("preflight"),
    PREPARING("prepare"),
    SYNCING("sync"),
    VERIFYING("verify"),
    AWAITING_CONFIRMATION("awaiting-confirmation"),
    /** Confirmed, but the predicted freeze is over the downtime budget: waiting for the replication lag to fall. */
    WAITING_FOR_CATCH_UP("waiting-for-catch-up"),
    /** A live migration a person paused before its switch-over: the targets apply nothing; the slots keep every change. */
    PAUSED("paused"),
    SWITCHING_OVER("switch-over"),
    COMPLETED("completed"),
    PREFLIGHT_FAILED("preflight-failed"),
    ABORTING("aborting"),
    ABORTED("aborted"),
    /**
     * A compensation, or a step after the switch-over, failed every retry: it waits for a person (repair to try again,
     * or abort by force). Not terminal: the environment can't start another migration meanwhile.
     */
    NEEDS_ATTENTION("needs-attention"),
    ROLLING_BACK("rolling-back"),
    ROLLED_BACK("rolled-back"),
    /** Completed and no longer to be rolled back: the way back, the old address's forwarding and the source are being removed. */
    FINALIZING("finalizing"),
    /** Finalized: nothing of the source is left, and the migration can no longer be rolled back. */
    FINALIZED("finalized"),
    FAILED("failed");

    private final String label;

    MigrationState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean terminal() {
        return this == COMPLETED || this == PREFLIGHT_FAILED || this == ABORTED || this == FAILED || this == ROLLED_BACK || this == FINALIZED;
    }

    /** Nothing runs: the migration waits for a person (or its window, or the lag) before its next step. */
    public boolean waiting() {
        return this == AWAITING_CONFIRMATION || this == WAITING_FOR_CATCH_UP || this == PAUSED;
    }

    public static MigrationState ofLabel(String label) {
        for (MigrationState s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown state '" + label + "'");
    }
}
