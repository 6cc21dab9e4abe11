package dev.ccaasfailover.agents;

import dev.ccaasfailover.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's request window is never looser than the server's sliding window: whatever the concurrency, latency
 * and delivery delays, no server window of the same length sees more than the limit (virtual clock, fixed seeds).
 */
class RequestWindowTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    /** The most arrivals (nanos) in any half-open window (t - window, t], as the simulators' limiter counts them. */
    static int maxInServerWindow(List<Long> arrivals, long windowNanos) {
        List<Long> a = arrivals.stream().sorted().toList();
        int max = 0;
        int start = 0;
        for (int end = 0; end < a.size(); end++) {
            while (a.get(end) - a.get(start) >= windowNanos) {
                start++;
            }
            max = Math.max(max, end - start + 1);
        }
        return max;
    }

    private record Event(long at, int worker, RequestWindow.Permit release) {
    }

    /**
     * Workers send as fast as the window lets them; each request reaches the server after a random delay (a busy
     * machine, a slow network) and completes after a further random time; now and then a 429 pauses everyone.
     */
    @Test
    void noServerWindowEverSeesMoreThanTheLimitOverRandomTimings() {
        int saturatedTrials = 0;
        for (long seed = 1; seed <= 300; seed++) {
            Random r = new Random(seed);
            MutableClock clock = new MutableClock(T0);
            int limit = 1 + r.nextInt(40);
            long window = Duration.ofMillis(100 + r.nextInt(10_000)).toNanos();
            int workers = 1 + r.nextInt(24);
            long maxDelay = (long) (window * (r.nextDouble() * 1.5)); // up to 1.5 windows late
            RequestWindow w = new RequestWindow(limit, Duration.ofNanos(window), clock, d -> clock.advance(d));
            PriorityQueue<Event> events = new PriorityQueue<>((x, y) -> Long.compare(x.at(), y.at()));
            List<Integer> waitingForRelease = new ArrayList<>();
            List<Long> arrivals = new ArrayList<>();
            long t0 = nanos(T0);
            for (int i = 0; i < workers; i++) {
                events.add(new Event(t0 + r.nextInt(1000), i, null));
            }
            int sent = 0;
            while (!events.isEmpty() && sent < 1500) {
                Event e = events.poll();
                clock.set(Instant.ofEpochSecond(0, e.at()));
                if (e.release() != null) {
                    e.release().release();
                    waitingForRelease.forEach(worker -> events.add(new Event(e.at(), worker, null)));
                    waitingForRelease.clear();
                    continue;
                }
                if (r.nextInt(500) == 0) {
                    w.pauseUntil(clock.instant().plusNanos(r.nextLong(window)));
                }
                RequestWindow.Permit p = w.tryAcquire();
                if (p == null) {
                    Duration next = w.nextChance();
                    if (next == null) {
                        waitingForRelease.add(e.worker());
                    } else {
                        events.add(new Event(e.at() + Math.max(1, next.toNanos()), e.worker(), null));
                    }
                    continue;
                }
                sent++;
                long arrival = e.at() + (maxDelay == 0 ? 0 : r.nextLong(maxDelay + 1));
                long done = arrival + (maxDelay == 0 ? 0 : r.nextLong(maxDelay + 1));
                arrivals.add(arrival);
                events.add(new Event(done, -1, p));
                events.add(new Event(done + (r.nextBoolean() ? 0 : r.nextLong(window / 10 + 1)), e.worker(), null));
            }
            int max = maxInServerWindow(arrivals, window);
            assertThat(max).as("seed %d: limit %d, window %d ns, %d workers, delay up to %d ns", seed, limit, window, workers, maxDelay)
                    .isLessThanOrEqualTo(limit);
            if (max == limit) {
                saturatedTrials++;
            }
        }
        // the bound is reached, not merely respected by going slowly
        assertThat(saturatedTrials).isGreaterThan(150);
    }

    @Test
    void backToBackRequestsUseTheWholeLimitOfEveryWindow() throws InterruptedException {
        MutableClock clock = new MutableClock(T0);
        RequestWindow w = new RequestWindow(299, Duration.ofMinutes(1), clock, clock::advance);
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            RequestWindow.Permit p = w.acquire();
            sent.add(nanos(clock.instant()));
            clock.advance(Duration.ofMillis(5)); // the answer takes 5 ms
            p.release();
        }
        assertThat(maxInServerWindow(sent, Duration.ofMinutes(1).toNanos())).isEqualTo(299);
        // 3,000 requests at 299 a window (plus 5 ms per round-trip held over): about 10 windows, not more
        assertThat(Duration.ofNanos(sent.get(sent.size() - 1) - sent.get(0))).isLessThan(Duration.ofMinutes(11));
    }

    @Test
    void a429PausesEveryoneUntilRetryAfter() {
        MutableClock clock = new MutableClock(T0);
        RequestWindow w = new RequestWindow(100, Duration.ofMinutes(1), clock, clock::advance);
        w.pauseUntil(clock.instant().plusSeconds(5));
        assertThat(w.tryAcquire()).isNull();
        assertThat(w.nextChance()).isEqualTo(Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(5));
        assertThat(w.tryAcquire()).isNotNull();
    }

    @Test
    void aSlotIsHeldWhileInFlightAndForAWindowAfterTheAnswer() {
        MutableClock clock = new MutableClock(T0);
        RequestWindow w = new RequestWindow(1, Duration.ofSeconds(10), clock, clock::advance);
        RequestWindow.Permit p = w.tryAcquire();
        assertThat(w.tryAcquire()).isNull();
        assertThat(w.nextChance()).as("in flight: only its answer frees the slot").isNull();
        clock.advance(Duration.ofSeconds(30)); // a slow answer
        p.release();
        p.release(); // idempotent
        clock.advance(Duration.ofSeconds(9));
        assertThat(w.tryAcquire()).isNull();
        assertThat(w.nextChance()).isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(1));
        assertThat(w.tryAcquire()).isNotNull();
    }

    private static long nanos(Instant i) {
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
