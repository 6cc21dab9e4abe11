package dev.ccaasfailover.simulator;

/**
 * A fault a simulator injects into its answers, set at run time through
 * {@link SimulatedHttpServer#setFault(Fault)} or {@code POST /__sim/fault}.
 *
 * @param mode              what goes wrong
 * @param delayMs           {@code SLOW}: delay before the normal answer; {@code HANG}: how long to hold
 *                          (0 = until the fault is replaced or the server's hang timeout);
 *                          {@code REFUSE}: how long to stay refused (0 = until the fault is replaced)
 * @param status            {@code ERROR}: the HTTP status to answer (5xx)
 * @param retryAfterSeconds {@code RATE_LIMIT}: the Retry-After value
 * @param pathPrefix        the fault applies only to request paths starting with this (null = all)
 * @param times             the fault clears itself after this many faulted requests (0 = never);
 *                          meaningless for {@code REFUSE}, which sees no requests
 */
public record Fault(Mode mode, long delayMs, int status, int retryAfterSeconds, String pathPrefix, int times) {

    public enum Mode { NONE, REFUSE, HANG, SLOW, ERROR, RATE_LIMIT }

    public Fault {
        if (mode == null) {
            throw new IllegalArgumentException("mode is required");
        }
        if (delayMs < 0 || times < 0 || retryAfterSeconds < 0) {
            throw new IllegalArgumentException("delayMs, times and retryAfterSeconds must not be negative");
        }
        if (mode == Mode.ERROR && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("error status must be 4xx or 5xx, was " + status);
        }
        if (pathPrefix != null && pathPrefix.isBlank()) {
            pathPrefix = null;
        }
    }

    public static Fault none() {
        return new Fault(Mode.NONE, 0, 0, 0, null, 0);
    }

    /** Connections refused: the listening socket is closed until the fault is replaced. */
    public static Fault refuse() {
        return new Fault(Mode.REFUSE, 0, 0, 0, null, 0);
    }

    /** Requests are held unanswered until the fault is replaced (or the hang timeout). */
    public static Fault hang() {
        return new Fault(Mode.HANG, 0, 0, 0, null, 0);
    }

    public static Fault slow(long delayMs) {
        return new Fault(Mode.SLOW, delayMs, 0, 0, null, 0);
    }

    public static Fault error(int status) {
        return new Fault(Mode.ERROR, 0, status, 0, null, 0);
    }

    public static Fault rateLimit(int retryAfterSeconds) {
        return new Fault(Mode.RATE_LIMIT, 0, 429, retryAfterSeconds, null, 0);
    }

    /** The same fault, limited to paths starting with {@code prefix}. */
    public Fault onPath(String prefix) {
        return new Fault(mode, delayMs, status, retryAfterSeconds, prefix, times);
    }

    /** The same fault, cleared automatically after {@code count} faulted requests. */
    public Fault times(int count) {
        return new Fault(mode, delayMs, status, retryAfterSeconds, pathPrefix, count);
    }

    /** The same fault with {@code delayMs} set (see the record description for its meaning per mode). */
    public Fault forMillis(long millis) {
        return new Fault(mode, millis, status, retryAfterSeconds, pathPrefix, times);
    }

    public boolean appliesTo(String path) {
        return mode != Mode.NONE && (pathPrefix == null || path.regionMatches(true, 0, pathPrefix, 0, pathPrefix.length()));
    }
}
