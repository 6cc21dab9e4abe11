package dev.ccaasfailover.agents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket sized so that no window of {@code window} ever holds more than {@code limit} requests: capacity
 * (the burst) C and refill (limit - C) per window, so any window sees at most C + (limit - C). A 429 pauses the bucket
 * ({@link #pauseUntil}), empties it and stops its refill until then, so every caller backs off together.
 *
 * <p>Written by hand: Guava's RateLimiter is only a transitive dependency here, lets through a further second of
 * stored permits (so it can exceed a per-minute window), and its clock cannot be injected for tests.
 */
public final class TokenBucket {

    /** Sleeps the calling thread; tests pass one that advances a virtual clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()), (int) (d.toNanosPart() % 1_000_000));
    }

    private final int limit;
    private final Duration window;
    private final double capacity;
    private final double tokensPerNano;
    private final Clock clock;
    private final Sleeper sleeper;

    private double tokens;
    private long lastNanos;
    private long pausedUntilNanos; // epoch 0: never paused

    /**
     * @param limit  requests allowed in any window (the vendor's limit, less whatever the caller keeps in reserve)
     * @param window the vendor's window (a minute for Genesys' "300 requests a minute")
     */
    public TokenBucket(int limit, Duration window, Clock clock, Sleeper sleeper) {
        if (limit < 2) {
            throw new IllegalArgumentException("limit must be at least 2, was " + limit);
        }
        this.limit = limit;
        this.window = window;
        this.capacity = Math.max(1, limit / 4);
        this.tokensPerNano = (limit - capacity) / (double) window.toNanos();
        this.clock = clock;
        this.sleeper = sleeper;
        this.tokens = capacity;
        this.lastNanos = nanos(clock.instant());
    }

    public int limit() {
        return limit;
    }

    public Duration window() {
        return window;
    }

    /** Takes one token, waiting until it is due. */
    public void acquire() throws InterruptedException {
        Duration wait = reserve();
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
    }

    /** Takes one token now (the bucket may go into debt) and says how long the caller must wait before using it. */
    public synchronized Duration reserve() {
        long now = nanos(clock.instant());
        refill(now);
        tokens -= 1;
        long wait = tokens >= 0 ? 0 : (long) Math.ceil(-tokens / tokensPerNano);
        long untilPauseEnds = pausedUntilNanos - now;
        return Duration.ofNanos(Math.max(wait, Math.max(0, untilPauseEnds)));
    }

    /** The vendor said 429 with Retry-After: nobody sends before {@code until}, and nothing accrues meanwhile. */
    public synchronized void pauseUntil(Instant until) {
        long u = nanos(until);
        long now = nanos(clock.instant());
        refill(now);
        if (u > pausedUntilNanos) {
            pausedUntilNanos = u;
        }
        tokens = Math.min(tokens, 0);
        lastNanos = Math.max(lastNanos, u);
    }

    private void refill(long now) {
        if (now > lastNanos) {
            tokens = Math.min(capacity, tokens + (now - lastNanos) * tokensPerNano);
            lastNanos = now;
        }
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
