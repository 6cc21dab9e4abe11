package dev.ccaasfailover.store;

/** The store could not be reached or refused the operation; nothing was written. Maps to HTTP 503. */
public class StoreUnavailableException extends RuntimeException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
