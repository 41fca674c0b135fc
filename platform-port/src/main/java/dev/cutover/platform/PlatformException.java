package dev.cutover.platform;

/** The platform refused or failed an operation. {@code status} follows HTTP (404 unknown, 409 conflict, 422 invalid, 503 unreachable). */
public class PlatformException extends RuntimeException {
    private final int status;

    public PlatformException(int status, String message) {
        super(message);
        this.status = status;
    }

    public PlatformException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean notFound() {
        return status == 404;
    }
}
