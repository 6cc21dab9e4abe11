package dev.ccaasfailover.runbook;

/**
 * A step attempt that did not reach its target. {@code retryable=false} ends the step at once (e.g. the vendor step
 * is not supported for the configured platform): retrying cannot help.
 */
public class StepFailedException extends RuntimeException {

    private final boolean retryable;

    public StepFailedException(String message, boolean retryable) {
        super(message);
        this.retryable = retryable;
    }

    /** Not retryable: used by routes that refuse a step ({@code throwException}). */
    public StepFailedException(String message) {
        this(message, false);
    }

    public static StepFailedException notSupported(String message) {
        return new StepFailedException(message, false);
    }

    public boolean retryable() {
        return retryable;
    }
}
