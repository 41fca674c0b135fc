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

    /** A step that does nothing yet: the saga's table reads {@code step(X).shows(..).invokes(..).onReply(..)...}. */
    public static SagaStep step(Step step) {
        return new SagaStep(step, null, false, null, e -> false, e -> false, null, null);
    }

    /** The state users see while it runs. */
    public SagaStep shows(MigrationState shown) {
        return new SagaStep(step, shown, gated, command, completedBy, failedBy, compensation, compensatedBy);
    }

    /** It waits for the human confirmation first (unless auto-confirm was asked). */
    public SagaStep afterConfirmation() {
        return new SagaStep(step, state, true, command, completedBy, failedBy, compensation, compensatedBy);
    }

    /** The command its participant gets. */
    public SagaStep invokes(Function<MigrationFacts, Message> participantCommand) {
        return new SagaStep(step, state, gated, participantCommand, completedBy, failedBy, compensation, compensatedBy);
    }

    public SagaStep onReply(Class<? extends Message> reply) {
        return onReply(reply::isInstance);
    }

    public SagaStep onReply(Predicate<Message> reply) {
        return new SagaStep(step, state, gated, command, reply, failedBy, compensation, compensatedBy);
    }

    public SagaStep onFailure(Class<? extends Message> failure) {
        return onFailure(failure::isInstance);
    }

    public SagaStep onFailure(Predicate<Message> failure) {
        return new SagaStep(step, state, gated, command, completedBy, failure, compensation, compensatedBy);
    }

    /** What undoes it, and the event that says it is undone. */
    public SagaStep withCompensation(Function<MigrationFacts, Message> undo, Class<? extends Message> undone) {
        return new SagaStep(step, state, gated, command, completedBy, failedBy, undo, undone);
    }

    public Optional<Function<MigrationFacts, Message>> undo() {
        return Optional.ofNullable(compensation);
    }
}
