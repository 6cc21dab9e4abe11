package dev.ccaasfailover.http;

/** Something we depend on (other than the store) could not be reached; nothing was done. HTTP 503 + Retry-After. */
public class DependencyUnavailableException extends RuntimeException {
    public DependencyUnavailableException(String message) {
        super(message);
    }
}
