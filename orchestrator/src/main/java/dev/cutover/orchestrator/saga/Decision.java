package dev.cutover.orchestrator.saga;

import dev.cutover.contracts.Message;
import java.util.List;

/** What the saga decided: the new position, the commands to send, why; or that nothing changes (ignored or refused). */
public record Decision(SagaPosition position, List<Message> commands, String reason, Kind kind) {

    public enum Kind {
        ADVANCE, IGNORE, REFUSE
    }

    static Decision advance(SagaPosition position, List<Message> commands, String reason) {
        return new Decision(position, commands, reason, Kind.ADVANCE);
    }

    static Decision ignore(SagaPosition position, String reason) {
        return new Decision(position, List.of(), reason, Kind.IGNORE);
    }

    static Decision refuse(SagaPosition position, String reason) {
        return new Decision(position, List.of(), reason, Kind.REFUSE);
    }
}
