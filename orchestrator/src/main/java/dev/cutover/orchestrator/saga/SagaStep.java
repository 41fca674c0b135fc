package dev.cutover.orchestrator.saga;

import dev.cutover.contracts.Message;
import dev.cutover.contracts.Step;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One row of the saga: the step, the state users see while it runs, the command that does it, the event that completes
 * it, the event that fails it, and the compensation that undoes it with the event that says it is undone.
 * {@code gated}: the step waits for the human confirmation (unless auto-confirm was asked).
 */
public record SagaStep(
        Step step,
        MigrationState state,
        boolean gated,
        Function<MigrationFacts, Message> command,
        Predicate<Message> completedBy,
        Predicate<Message> failedBy,
        Function<MigrationFacts, Message> compensation,
        Class<? extends Message> compensatedBy) {

    public Optional<Function<MigrationFacts, Message>> undo() {
        return Optional.ofNullable(compensation);
    }
}
