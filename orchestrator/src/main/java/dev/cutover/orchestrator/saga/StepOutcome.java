package dev.cutover.orchestrator.saga;

import dev.cutover.contracts.Step;

/** What an event says of a step, wherever the migration stands: the step it answers, and how. */
public record StepOutcome(Step step, Kind kind) {

    public enum Kind {
        COMPLETED, FAILED, COMPENSATED
    }
}
