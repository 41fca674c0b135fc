package dev.cutover.orchestrator.saga;

/**
 * Where a migration stands in the saga: its state, the step running (or, while compensating, the step whose
 * compensation runs; while awaiting confirmation, the step the confirmation starts), and, while compensating,
 * the state it ends in once everything is undone.
 */
public record SagaPosition(MigrationState state, int stepIndex, MigrationState outcomeAfterCompensation) {

    public boolean rollingBack() {
        return state == MigrationState.ROLLING_BACK || state == MigrationState.ROLLED_BACK;
    }

    public boolean finalizing() {
        return state == MigrationState.FINALIZING || state == MigrationState.FINALIZED;
    }

    public boolean compensating() {
        return outcomeAfterCompensation != null;
    }

    /** The row of the saga table (or, while rolling back or finalizing, of that table) this position points at. */
    public SagaStep step() {
        return (rollingBack() ? MigrationSaga.ROLLBACK : finalizing() ? MigrationSaga.FINALIZE : MigrationSaga.STEPS).get(stepIndex);
    }
}
