package dev.cutover.kit.problem;

/** A refusal the API answers as an RFC 9457 problem with this status and detail; nothing was changed. */
public class Problem extends RuntimeException {
    private final int status;

    public Problem(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
