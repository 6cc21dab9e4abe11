package dev.ccaasfailover.agents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/**
 * A client-side sliding-window log that keeps a vendor's "at most {@code limit} requests in any {@code window}" however
 * late requests reach the vendor: a request holds its slot from the moment it is sent until {@code window} after its
 * answer came back (or it failed), and a request is sent only while fewer than {@code limit} slots are held.
 *
 * <p>Why that is never looser than the server's window: the server sees request j at some a_j between its send s_j and
 * its completion c_j. Take any server window (t - window, t] and, of the requests it saw there, the one sent last, k.
 * Every other one, j, was sent before k and has c_j >= a_j > t - window >= a_k - window >= s_k - window, so it still
 * held its slot when k was sent; k was sent only because fewer than {@code limit} slots were held, so the window holds
 * at most {@code limit}. (A token bucket cannot promise this: tokens taken early and sent late arrive bunched.)
 * A 429 pauses every sender until its Retry-After ({@link #pauseUntil}).
 */
public final class RequestWindow {

    /** Sleeps the calling thread; tests pass one that advances a virtual clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;

        Sleeper REAL = d -> Thread.sleep(Math.max(0, d.toMillis()), (int) (d.toNanosPart() % 1_000_000));
    }

    /** One held slot; {@link #release()} when the answer is in (or the attempt failed). */
    public final class Permit {
        private boolean released;

        public void release() {
            synchronized (RequestWindow.this) {
                if (released) {
                    return;
                }
                released = true;
                inFlight--;
                expiries.add(nanos(clock.instant()) + windowNanos);
                RequestWindow.this.notifyAll();
            }
        }
    }

    private final int limit;
    private final Duration window;
    private final long windowNanos;
    private final Clock clock;
    private final Sleeper sleeper;
    /** When each completed request's slot frees up (completion + window). */
    private final PriorityQueue<Long> expiries = new PriorityQueue<>();
    private int inFlight;
    private long pausedUntilNanos = Long.MIN_VALUE;

    /**
     * @param limit  requests allowed in any window (the vendor's limit, less whatever the caller keeps in reserve)
     * @param window the vendor's window (a minute for Genesys' "300 requests a minute")
     */
    public RequestWindow(int limit, Duration window, Clock clock, Sleeper sleeper) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.window = window;
        this.windowNanos = window.toNanos();
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public int limit() {
        return limit;
    }

    public Duration window() {
        return window;
    }

    /** Takes a slot, waiting until one is free. */
    public Permit acquire() throws InterruptedException {
        while (true) {
            Duration wait;
            synchronized (this) {
                Permit p = tryAcquire();
                if (p != null) {
                    return p;
                }
                wait = nextChance();
                if (wait == null) {
                    wait(); // every slot is in flight: only a release frees one
                    continue;
                }
            }
            sleeper.sleep(wait);
        }
    }

    /** A slot now, or null when none is free (see {@link #nextChance()}). */
    public synchronized Permit tryAcquire() {
        long now = nanos(clock.instant());
        if (now < pausedUntilNanos) {
            return null;
        }
        while (!expiries.isEmpty() && expiries.peek() <= now) {
            expiries.poll();
        }
        if (inFlight + expiries.size() >= limit) {
            return null;
        }
        inFlight++;
        return new Permit();
    }

    /** How long until a slot may be free by time alone; null when only a release can free one. */
    public synchronized Duration nextChance() {
        long now = nanos(clock.instant());
        if (now < pausedUntilNanos) {
            return Duration.ofNanos(pausedUntilNanos - now);
        }
        if (inFlight + expiries.size() < limit) {
            return Duration.ZERO;
        }
        return expiries.isEmpty() ? null : Duration.ofNanos(Math.max(0, expiries.peek() - now));
    }

    /** The vendor said 429 with Retry-After: nobody sends before {@code until}. */
    public synchronized void pauseUntil(Instant until) {
        pausedUntilNanos = Math.max(pausedUntilNanos, nanos(until));
        notifyAll();
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
