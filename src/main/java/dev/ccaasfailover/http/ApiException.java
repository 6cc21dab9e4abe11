package dev.ccaasfailover.http;

/**
 * A request the product refuses, with the HTTP status and a message for the client. Never used for
 * failures of our own: those are 5xx and are logged, not explained to the caller.
 *
 * @see ApiErrors
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String field;
    private final Long retryAfterSeconds;

    public ApiException(int status, String message, String field) {
        this(status, message, field, null);
    }

    private ApiException(int status, String message, String field, Long retryAfterSeconds) {
        super(message);
        this.status = status;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** 429 with Retry-After: the same request succeeds after that many seconds. */
    public static ApiException tooManyRequests(String message, long retryAfterSeconds) {
        return new ApiException(429, message, null, retryAfterSeconds);
    }

    public static ApiException badRequest(String field, String problem) {
        return new ApiException(400, field + ": " + problem, field);
    }

    public static ApiException unauthorized() {
        return new ApiException(401, "missing or unknown bearer token", null);
    }

    public static ApiException forbidden(String role) {
        return new ApiException(403, "this token may not call this endpoint; it needs role " + role, null);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, what + " not found", null);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }

    /** Seconds for the Retry-After header, or null. */
    public Long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
