package dev.ccaasfailover.store;

import java.time.Duration;

/**
 * Whether this instance's writes succeed, for readiness: the outcome of the latest write, real or probe. Timed on
 * the JVM's monotonic clock (a test's frozen clock must not make an old outcome look fresh).
 */
final class WriteHealth {

    /** A write outcome younger than this answers readiness without a probe. */
    static final Duration FRESH = Duration.ofSeconds(2);

    private record Outcome(long atNanos, String failure) {
    }

    private volatile Outcome last;

    void succeeded() {
        last = new Outcome(System.nanoTime(), null);
    }

    void failed(String why) {
        last = new Outcome(System.nanoTime(), why == null ? "write failed" : why);
    }

    /** True or false when the latest outcome is fresh; null when a probe must tell. */
    Boolean fresh() {
        Outcome o = last;
        return o == null || System.nanoTime() - o.atNanos > FRESH.toNanos() ? null : o.failure == null;
    }

}
