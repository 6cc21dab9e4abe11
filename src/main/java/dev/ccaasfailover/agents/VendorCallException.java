package dev.ccaasfailover.agents;

/** A vendor API call that failed for good (after the retries it deserved); the message is safe to journal. */
public class VendorCallException extends RuntimeException {
    private final int status;

    public VendorCallException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
