package dev.cutover.contracts;

/** A message that cannot be understood: it goes to the dead-letter topic with this reason. */
public class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String reason) {
        super(reason);
    }

    public MalformedMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
