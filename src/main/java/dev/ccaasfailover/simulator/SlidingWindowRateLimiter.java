package dev.ccaasfailover.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalInt;

/**
 * At most N requests in any sliding window (60 s for the simulators, like Genesys' per-client
 * "300 requests a minute"). Beyond that, {@link #tryAcquire()} says how many seconds to wait.
 */
final class SlidingWindowRateLimiter {

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> accepted = new ArrayDeque<>();

    SlidingWindowRateLimiter(int limit, Duration window, Clock clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1");
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Empty when the request may proceed; otherwise the Retry-After in whole seconds (at least 1). */
    synchronized OptionalInt tryAcquire() {
        Instant now = clock.instant();
        Instant windowStart = now.minus(window);
        while (!accepted.isEmpty() && !accepted.peekFirst().isAfter(windowStart)) {
            accepted.removeFirst();
        }
        if (accepted.size() < limit) {
            accepted.addLast(now);
            return OptionalInt.empty();
        }
        long waitMs = Duration.between(now, accepted.peekFirst().plus(window)).toMillis();
        return OptionalInt.of((int) Math.max(1, (waitMs + 999) / 1000));
    }
}
