package dev.cutover.cli;

/** Ends a command with this exit code; the message (one line) goes to stderr. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    CliException(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    int code() {
        return code;
    }
}
