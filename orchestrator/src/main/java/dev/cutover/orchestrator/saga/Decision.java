package dev.cutover.orchestrator.saga;

import dev.cutover.contracts.Message;
import java.util.List;

/** What the saga decided: the new position, the commands to send, why; or that nothing changes (ignored or refused). */
public record Decision(SagaPosition position, List<Message> commands, String reason, Kind kind) {

    public enum Kind {
        /** The position changes (or a command is sent again) and the commands go out. */
        ADVANCE,
        IGNORE,
        REFUSE,
        /** What failed is tried again later, from the same position, after a back-off. */
        RETRY
    }

    static Decision advance(SagaPosition position, List<Message> commands, String reason) {
        return new Decision(position, commands, reason, Kind.ADVANCE);
    }

    static Decision ignore(SagaPosition position, String reason) {
        return new Decision(position, List.of(), reason, Kind.IGNORE);
    }

    static Decision retry(SagaPosition position, String reason) {
        return new Decision(position, List.of(), reason, Kind.RETRY);
    }

    static Decision refuse(SagaPosition position, String reason) {
        return new Decision(position, List.of(), reason, Kind.REFUSE);
    }
}
