package dev.cutover.platform.router;

import java.util.Optional;

/** The router refused or failed an operation; the message says which and why. */
public class RouterException extends RuntimeException {
    public RouterException(String message) {
        super(message);
    }

    /** The router's failure behind {@code error}, if one is (transaction wrappers may wrap it). */
    public static Optional<RouterException> in(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RouterException r) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
