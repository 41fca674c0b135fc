package dev.cutover.orchestrator.saga;

/**
 * Where a migration stands in the saga: its state, the step running (or, while compensating, the step whose
 * compensation runs; while awaiting confirmation, the step the confirmation starts), and, while compensating,
 * the state it ends in once everything is undone.
 */
public record SagaPosition(MigrationState state, int stepIndex, MigrationState outcomeAfterCompensation) {

    public boolean compensating() {
        return outcomeAfterCompensation != null;
    }

    public SagaStep step() {
        return MigrationSaga.STEPS.get(stepIndex);
    }
}
