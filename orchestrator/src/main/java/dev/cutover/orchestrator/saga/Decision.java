package dev.cutover.orchestrator.saga;

import dev.cutover.contracts.Message;
import java.util.List;
import java.util.Optional;

/**
 * What the saga decided: the new position, the commands to send, why; or that nothing changes (ignored or refused). For
 * an event, also which step it answers and how ({@code outcome}, {@code null} for progress and the like), for the step
 * records, even when the event changes nothing (a late reply).
 */
public record Decision(SagaPosition position, List<Message> commands, String reason, Kind kind, StepOutcome outcome) {

    public enum Kind {
        /** The position changes (or a command is sent again) and the commands go out. */
        ADVANCE,
        IGNORE,
        REFUSE,
        /** What failed is tried again later, from the same position, after a back-off. */
        RETRY
    }

    static Decision advance(SagaPosition position, List<Message> commands, String reason) {
        return new Decision(position, commands, reason, Kind.ADVANCE, null);
    }

    static Decision ignore(SagaPosition position, String reason) {
        return new Decision(position, List.of(), reason, Kind.IGNORE, null);
    }

    static Decision retry(SagaPosition position, String reason) {
        return new Decision(position, List.of(), reason, Kind.RETRY, null);
    }

    static Decision refuse(SagaPosition position, String reason) {
        return new Decision(position, List.of(), reason, Kind.REFUSE, null);
    }

    Decision answering(StepOutcome answered) {
        return new Decision(position, commands, reason, kind, answered);
    }

    public Optional<StepOutcome> answered() {
        return Optional.ofNullable(outcome);
    }
}
