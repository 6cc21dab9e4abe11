package dev.ccaasfailover.runbook;

/** Bounded exponential backoff: initial, 2×initial, 4×initial, ... never above max. */
public record Backoff(long initialMs, long maxMs) {

    /** The wait after the {@code failedAttempt}-th failed attempt (1-based). */
    public long delayAfter(int failedAttempt) {
        if (failedAttempt < 1) {
            return 0;
        }
        int shift = Math.min(failedAttempt - 1, 30);
        long d = initialMs << shift;
        return d <= 0 || d > maxMs ? maxMs : d;
    }
}
