package dev.cutover.cli;

import java.util.Set;

/** The exit codes of every command, and how answers and migration states map to them. */
public final class Exit {

    public static final int OK = 0;
    /** Something unexpected: a server error (5xx), an answer that is not what the API promises. */
    public static final int ERROR = 1;
    /** Bad usage: picocli's usage error code (unknown option, missing or invalid argument); also an HTTP 400. */
    public static final int USAGE = 2;
    /** The server said no: HTTP 409 or 422, a refused plan, or a command this server does not support yet. */
    public static final int REFUSED = 3;
    /** The migration ended failed, aborted or preflight-failed. */
    public static final int FAILED = 4;
    /** No such migration: HTTP 404. */
    public static final int NOT_FOUND = 5;
    /** The API could not be reached: connection refused, timed out, reset. */
    public static final int UNREACHABLE = 6;

    /**
     * The states after which no step runs (rolled-back: moved back after a completed one; finalized: completed, its
     * rollback window over).
     */
    public static final Set<String> TERMINAL_STATES = Set.of("completed", "rolled-back", "finalized", "aborted", "failed", "preflight-failed");
    /** The states in which nothing happens until a person acts: status --watch ends there too. */
    public static final Set<String> WAITING_FOR_A_PERSON = Set.of("awaiting-confirmation", "needs-attention");
    /** The states that end a migration without moving it. */
    public static final Set<String> FAILED_STATES = Set.of("aborted", "failed", "preflight-failed");

    /** The table printed in every command's help (a picocli format string: %n ends a line) and in the README. */
    public static final String TABLE =
            "  0  ok (status: running, awaiting confirmation, completed, finalized or rolled back)%n"
            + "  1  unexpected error (the server failed: HTTP 5xx)%n"
            + "  2  bad usage: unknown option, missing or invalid argument (or HTTP 400)%n"
            + "  3  refused: HTTP 409/422, a refused plan, or a command the server lacks%n"
            + "  4  failed: the migration ended failed, aborted or preflight-failed%n"
            + "  5  not found: no such migration (HTTP 404)%n"
            + "  6  server unreachable: connection refused or timed out";

    private Exit() {
    }

    /** The code for an HTTP answer that is not a success. */
    public static int forHttpStatus(int status) {
        if (status >= 200 && status < 300) {
            return OK;
        }
        return switch (status) {
            case 400 -> USAGE;
            case 404 -> NOT_FOUND;
            case 409, 422 -> REFUSED;
            default -> ERROR;
        };
    }

    /** The code for a migration in this state: failed ones are {@link #FAILED}, the others (running, waiting, completed) ok. */
    public static int forState(String state) {
        return FAILED_STATES.contains(state) ? FAILED : OK;
    }
}
