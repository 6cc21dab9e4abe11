package dev.ccaasfailover.context;

import dev.ccaasfailover.store.GuardedWrite;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;
import dev.ccaasfailover.testsupport.FixedRateLoad;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import dev.ccaasfailover.testsupport.WrkPost;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customer-context figures, each against its raw store baseline measured in the same run on the same store:
 * durable ingest (POST /events, arrays of 500) vs raw putGuarded of exactly the items ingest writes for such events,
 * in alternating rounds; GET /context at a fixed rate from a load generator in a second JVM (open loop, latency from
 * the intended send time, after a warm-up) vs the raw Query (one per read, as the product does) of the same callers
 * at the same rate in this JVM.
 * Writes its own section of BENCHMARKS.md. Run: mvn -B -Pbench verify.
 */
class ContextBenchmark {

    static final int BATCH = 500;
    /**
     * Warm-up arrays of each of the four ingest runs (raw and HTTP, 1 and CLIENTS at once) before the measured rounds:
     * after 20 the JIT was still compiling the HTTP path (process CPU per array fell from 27 to 14 ms over the rounds).
     */
    static final int WARMUP_BATCHES = 100;
    /**
     * Single-event requests (and single-event raw writes) before those: code that runs once per request reaches the
     * JIT's top tier only after thousands of requests, and 100 arrays are only 100 (profiled: without these, the
     * service's own time per 500-event array, the store's write left out, was about 2.7 ms; with them 1.8 ms, as in a
     * service that has been taking events for a while).
     */
    static final int WARMUP_REQUESTS = 4000;
    static final int ROUNDS = 5;
    /** Concurrent ingest clients of the second ingest figure (platforms deliver events of many calls at once). */
    static final int CLIENTS = 4;
    static final int BATCHES_PER_ROUND = 20;
    /** Ingest spreads its events over these callers (~40 events, 8 calls, each by the end); GET asks the first CALLERS. */
    static final int INGEST_CALLERS = 5000;
    static final int CALLERS = 1000;
    static final int RATE = 500;
    static final int WARMUP_SECONDS = 5;
    static final int SECONDS = 10;
    /** Measured windows of SECONDS each, back to back: the figures are over all of them, the p99 also per window. */
    static final int WINDOWS = 3;
    /**
     * Event n is dated T0 + n s: a run writes a few hundred thousand events, which must all lie in the past (ingest
     * refuses a timestamp later than now plus failover.events.max-future-skew-ms) and within the store's 90 days.
     */
    static final Instant T0 = Instant.now().minus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);

    @Test
    void ingestAndContextLookup() throws Exception {
        try (RunningMiddleware app = RunningMiddleware.start(Map.of("camel.main.jmxEnabled", "false"))) {
            Store store = app.context().getRegistry().lookupByNameAndType("store", Store.class);
            EventIngest eventIngest = app.context().getRegistry().lookupByNameAndType("eventIngest", EventIngest.class);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            // Warm-up of both paths (JIT), then alternating rounds so both see the same machine.
            int batch = 0;
            warmUpRequests(app, store, eventIngest);
            ingest(app, "ing", batch, WARMUP_BATCHES, 1);
            raw(store, eventIngest, "raw", batch, WARMUP_BATCHES, 1);
            ingest(app, "ing", batch + WARMUP_BATCHES, WARMUP_BATCHES, CLIENTS);
            raw(store, eventIngest, "raw", batch + WARMUP_BATCHES, WARMUP_BATCHES, CLIENTS);
            ingestFromServerJvm(app, http, "jvm", batch, WARMUP_BATCHES / 5);
            batch += 2 * WARMUP_BATCHES;
            long rawNanos = 0;
            long ingestNanos = 0;
            long serverJvmClientNanos = 0;
            long rawConcurrentNanos = 0;
            long concurrentNanos = 0;
            for (int r = 0; r < ROUNDS; r++) {
                rawNanos += raw(store, eventIngest, "raw", batch, BATCHES_PER_ROUND, 1);
                ingestNanos += ingest(app, "ing", batch, BATCHES_PER_ROUND, 1);
                serverJvmClientNanos += ingestFromServerJvm(app, http, "jvm", batch, BATCHES_PER_ROUND);
                rawConcurrentNanos += raw(store, eventIngest, "raw", batch + BATCHES_PER_ROUND, BATCHES_PER_ROUND, CLIENTS);
                concurrentNanos += ingest(app, "ing", batch + BATCHES_PER_ROUND, BATCHES_PER_ROUND, CLIENTS);
                batch += 2 * BATCHES_PER_ROUND;
            }
            double events = ROUNDS * BATCHES_PER_ROUND * (double) BATCH;
            Ingest ingest = new Ingest(events / (rawNanos / 1e9), events / (ingestNanos / 1e9), events / (serverJvmClientNanos / 1e9),
                    events / (rawConcurrentNanos / 1e9), events / (concurrentNanos / 1e9));

            // Context lookups of callers with ~10 call events and heartbeats each (all written above).
            List<String> phones = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                phones.add(phone(c));
            }
            long gcBefore = gcMillis();
            long[] httpInOrder = FixedRateLoad.inChildJvm(app.uri("/"), RunningMiddleware.CONTEXT_TOKEN,
                    phones.stream().map(p -> "context/" + p).toList(), RATE, WARMUP_SECONDS, WINDOWS * SECONDS);
            long serverGcMs = gcMillis() - gcBefore; // warm-up included
            ExecutorService rawPool = Executors.newFixedThreadPool(4);
            try {
                FixedRateLoad.Call rawQuery = i -> CompletableFuture.runAsync(() -> {
                    String p = phones.get(i % CALLERS);
                    store.query(ContextTables.EVENTS, p, CustomerContext.EVENTS_READ + 1);
                }, rawPool);
                FixedRateLoad.run(rawQuery, RATE, WARMUP_SECONDS);
                long[] rawInOrder = FixedRateLoad.inSendOrder(rawQuery, RATE, WINDOWS * SECONDS);
                write(ingest, httpInOrder, rawInOrder, serverGcMs);
            } finally {
                rawPool.shutdownNow();
            }
        }
    }

    static String phone(int c) {
        return String.format("+1317555%04d", c % 10000);
    }

    /** Raw-baseline callers: the same shape of number, none of the ingest callers. */
    static String rawPhone(int c) {
        return String.format("+1317556%04d", c % 10000);
    }

    static final String[] TYPES = {"CallStarted", "QueueEntered", "TransferInitiated", "CallEnded", "IVRState"};

    /** Events for batch b: five per call (one of them an IVR heartbeat), spread across the callers. */
    static List<String> events(String prefix, int b) {
        return events(prefix, b * BATCH, BATCH);
    }

    /** Events n = from .. from + count - 1 of the ingest mix, JSON as a platform posts them. */
    static List<String> events(String prefix, int from, int count) {
        List<String> out = new ArrayList<>(count);
        for (int n = from; n < from + count; n++) {
            String type = TYPES[n % TYPES.length];
            out.add(ContextEvents.canonical(prefix + "-" + n, type, n % 2 == 0 ? "genesys" : "nice", prefix + "-call-" + (n / 5),
                    phone((n / 5) % INGEST_CALLERS), T0.plusSeconds(n).toString(),
                    "\"queueId\":\"q-1\",\"intent\":\"billing\",\"agentId\":\"a-" + (n % 50) + "\",\"currentStep\":\"Menu\""));
        }
        return out;
    }

    /** Event n of the same mix for the raw baseline: the same shape, for other callers. */
    static CanonicalEvent rawEvent(String prefix, int n) {
        return new CanonicalEvent(prefix + "-" + n, EventType.valueOf(TYPES[n % TYPES.length]), n % 2 == 0 ? "genesys" : "nice",
                prefix + "-call-" + (n / 5), rawPhone((n / 5) % INGEST_CALLERS), CanonicalEvent.format(T0.plusSeconds(n)),
                "q-1", "billing", "a-" + (n % 50), "Menu", null);
    }

    /** WARMUP_REQUESTS single-event POSTs from wrk, and as many single-event putGuarded calls (other callers). */
    static void warmUpRequests(RunningMiddleware app, Store store, EventIngest eventIngest) throws Exception {
        List<byte[]> single = new ArrayList<>(WARMUP_REQUESTS);
        for (String event : events("warm", 0, WARMUP_REQUESTS)) {
            single.add(("[" + event + "]").getBytes(StandardCharsets.UTF_8));
        }
        WrkPost.postAll(app.uri("/events"), RunningMiddleware.INGEST_TOKEN, single, 1, 202);
        Instant now = Instant.now();
        for (int n = 0; n < WARMUP_REQUESTS; n++) {
            store.putGuarded(List.of(eventIngest.write(rawEvent("rawwarm", n), now)));
        }
    }

    static List<byte[]> bodies(String prefix, int from, int batches) {
        List<byte[]> bodies = new ArrayList<>();
        for (int b = from; b < from + batches; b++) {
            bodies.add(("[" + String.join(",", events(prefix, b)) + "]").getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    /**
     * POSTs batches [from, from + batches) with wrk from its own process ({@link WrkPost}).
     *
     * @param clients connections in flight at once (each sends its next array when its previous one is answered)
     * @return nanoseconds from the first POST sent to the last answer
     */
    static long ingest(RunningMiddleware app, String prefix, int from, int batches, int clients) throws Exception {
        return WrkPost.postAll(app.uri("/events"), RunningMiddleware.INGEST_TOKEN, bodies(prefix, from, batches), clients, 202);
    }

    /**
     * The same POSTs one at a time from the JDK HttpClient inside the service's own JVM (the method of earlier runs),
     * for comparison: that client's work runs on the same cores, in series with each request, and in the same heap.
     *
     * @return nanoseconds taken by the POSTs
     */
    static long ingestFromServerJvm(RunningMiddleware app, HttpClient http, String prefix, int from, int batches) throws Exception {
        List<byte[]> bodies = bodies(prefix, from, batches);
        long start = System.nanoTime();
        for (byte[] body : bodies) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(app.uri("/events"))
                    .header("Authorization", "Bearer " + RunningMiddleware.INGEST_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
        return System.nanoTime() - start;
    }

    /**
     * The items ingest writes for the same events (dedupe guard, caller item, call item: same tables, sizes and key
     * shapes, built by {@link EventIngest#write}, heartbeats with the forward put of their caller's latest-IVR item)
     * for other callers, written straight to the store array by array with one putGuarded each, as ingest does.
     *
     * @param writers threads calling putGuarded at once (each writes its next array when its previous one returns),
     *                as many as the ingest clients it is compared with
     * @return nanoseconds taken by the putGuarded calls
     */
    static long raw(Store store, EventIngest ingest, String prefix, int from, int batches, int writers) throws Exception {
        List<List<GuardedWrite>> all = new ArrayList<>();
        Instant now = Instant.now();
        for (int b = from; b < from + batches; b++) {
            List<GuardedWrite> writes = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                writes.add(ingest.write(rawEvent(prefix, b * BATCH + i), now));
            }
            all.add(writes);
        }
        AtomicInteger next = new AtomicInteger();
        Callable<Void> writer = () -> {
            for (int i; (i = next.getAndIncrement()) < all.size(); ) {
                assertThat(store.putGuarded(all.get(i))).doesNotContain(false);
            }
            return null;
        };
        ExecutorService pool = writers == 1 ? null : Executors.newFixedThreadPool(writers);
        try {
            long start = System.nanoTime();
            if (pool == null) {
                writer.call();
            } else {
                for (Future<Void> f : pool.invokeAll(java.util.Collections.nCopies(writers, writer))) {
                    f.get();
                }
            }
            return System.nanoTime() - start;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    static double ms(long[] sorted, double q) {
        return FixedRateLoad.ms(sorted, q);
    }

    static long[] sorted(long[] inOrder, int from, int to) {
        long[] s = Arrays.copyOfRange(inOrder, from, to);
        Arrays.sort(s);
        return s;
    }

    /** p99 of each window, e.g. "6.1, 8.0, 7.2". */
    static String windowP99(long[] inOrder) {
        int per = inOrder.length / WINDOWS;
        List<String> out = new ArrayList<>();
        for (int w = 0; w < WINDOWS; w++) {
            out.add(String.format(Locale.ROOT, "%.2f", ms(sorted(inOrder, w * per, (w + 1) * per), 0.99)));
        }
        return String.join(", ", out);
    }

    static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** Events per second of each ingest run: raw putGuarded, wrk, the in-JVM client; raw and wrk with CLIENTS at once. */
    record Ingest(double raw, double wrk, double serverJvmClient, double rawConcurrent, double concurrent) {
    }

    static void write(Ingest in, long[] httpInOrder, long[] rawInOrder, long serverGcMs)
            throws Exception {
        long[] http = sorted(httpInOrder, 0, httpInOrder.length);
        long[] rawQ = sorted(rawInOrder, 0, rawInOrder.length);
        double ratio = in.wrk() / in.raw();
        double overheadP50 = ms(http, 0.50) - ms(rawQ, 0.50);
        String f = "%.2f";
        String section = String.join("\n",
                "## Customer context (ContextBenchmark)",
                "",
                "Command: `mvn -B -Pbench verify` (class `dev.ccaasfailover.context.ContextBenchmark`). Machine: "
                        + Runtime.getRuntime().availableProcessors() + " cores (nproc), Java " + System.getProperty("java.version")
                        + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "; embedded SQLite store"
                        + " (WAL, synchronous=FULL) in a temp folder; run " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ".",
                "",
                "| figure | measured | baseline (same run, same store) | target | met |",
                "|---|---|---|---|---|",
                String.format(Locale.ROOT, "| durable ingest, POST /events arrays of %d over HTTP from wrk, one at a time (%d × %d arrays) | %.0f events/s | raw `putGuarded` of the same items: %.0f events/s (%.1f %%) | ≥ 70 %% of raw | %s |",
                        BATCH, ROUNDS, BATCHES_PER_ROUND, in.wrk(), in.raw(), ratio * 100, ratio >= 0.70 ? "yes" : "no"),
                String.format(Locale.ROOT, "| the same with %d wrk connections at once (%d × %d arrays) | %.0f events/s | raw `putGuarded` from %d threads at once: %.0f events/s (%.1f %%) | ≥ 70 %% of raw | %s |",
                        CLIENTS, ROUNDS, BATCHES_PER_ROUND, in.concurrent(), CLIENTS, in.rawConcurrent(), in.concurrent() / in.rawConcurrent() * 100,
                        in.concurrent() / in.rawConcurrent() >= 0.70 ? "yes" : "no"),
                String.format(Locale.ROOT, "| for comparison: one at a time from the JDK HttpClient inside the service's JVM (%d × %d arrays) | %.0f events/s | the first row's raw: %.1f %% | | |",
                        ROUNDS, BATCHES_PER_ROUND, in.serverJvmClient(), in.serverJvmClient() / in.raw() * 100),
                String.format(Locale.ROOT, "| GET /context at %d req/s for %d × %d s (%d callers), p50 | " + f + " ms | raw Query (one per read) p50 " + f + " ms; overhead " + f + " ms | overhead ≤ 2 ms | %s |",
                        RATE, WINDOWS, SECONDS, CALLERS, ms(http, 0.5), ms(rawQ, 0.5), overheadP50, overheadP50 <= 2 ? "yes" : "no"),
                String.format(Locale.ROOT, "| GET /context, p99 | " + f + " ms (per %d s window: %s) | raw p99 " + f + " ms (%s) | ≤ 25 ms | %s |",
                        ms(http, 0.99), SECONDS, windowP99(httpInOrder), ms(rawQ, 0.99), windowP99(rawInOrder), ms(http, 0.99) <= 25 ? "yes" : "no"),
                String.format(Locale.ROOT, "| GET /context, p99.9 / max | " + f + " / " + f + " ms | raw " + f + " / " + f + " ms | | |",
                        ms(http, 0.999), ms(http, 1.0), ms(rawQ, 0.999), ms(rawQ, 1.0)),
                "",
                "Ingest: each event is three items (dedupe guard, caller, call; an IVRState heartbeat has, instead of a caller item,",
                "a forward put of its caller's latest-IVR item `~ivr`, applied only if newer than what the item holds) written",
                "with the other 499 of its array in one SQLite transaction (one fsync, the `~ivr` items included);",
                "`putGuarded` commits in groups: arrays that arrive while a transaction runs",
                "share the next transaction and fsync, each caller answered once that commit is durable. One request at a time",
                "in the first row, " + CLIENTS + " connections each sending its next array when its previous one is answered in the second.",
                "The HTTP client is wrk (Debian package wrk, `testsupport.WrkPost` with `wrk/post-once.lua`) in its own process,",
                "each body sent once, timed from its first send to its last answer: a platform's client runs elsewhere and costs",
                "the service only the request, and wrk's few microseconds per request are the nearest stand-in on one machine.",
                "The third row sends the same arrays from the JDK HttpClient inside the service's JVM, as earlier runs of this",
                "benchmark did, for comparison: that client's own per-request work (its selector and executor threads, the",
                "answer as a String) runs in series with each request on the same 2 cores and in the service's heap.",
                "The baselines write, with the same `putGuarded` call and the same concurrency (one array at a time, then " + CLIENTS,
                "threads each writing its next array when its previous one returns), exactly the items ingest builds for such",
                "events (built before the clock starts, for other callers; the same `~ivr` forward puts),",
                "without HTTP, JSON, validation and phone normalization. After a warm-up (JIT) of " + WARMUP_REQUESTS + " single-event requests and as",
                "many single-event raw writes (code that runs once per request reaches the JIT's top tier only after thousands",
                "of requests, and a service that has been taking events for a while runs that code),",
                "then " + WARMUP_BATCHES + " arrays of each, raw (1 writer),",
                "HTTP (1 wrk connection), the in-JVM client, raw (" + CLIENTS + " writers) and HTTP",
                "(" + CLIENTS + " wrk connections) alternate in " + ROUNDS + " rounds of " + BATCHES_PER_ROUND + " arrays each on the same growing store; the figures are",
                "totals over the rounds.",
                "",
                "Context: the load generator is a second JVM on the same 2 cores (`testsupport.FixedRateLoad`, JDK HttpClient,",
                "HTTP/1.1 keep-alive over loopback), open loop at a fixed rate: latency counts from each request's intended send",
                "time, so a stall counts against every request it delays. " + WARMUP_SECONDS + " s of warm-up at the same rate, then " + WINDOWS + " × " + SECONDS + " s",
                "measured back to back (server JVM garbage collection during warm-up and measurement: " + serverGcMs + " ms in all). The raw baseline runs the same single Query per request (the caller's `events` partition, newest 101 items: the `~ivr` item and 100 call events) in the server JVM on a 4-thread pool at the",
                "same fixed rate, warm-up and duration, right after the HTTP run. The server JVM has default heap and GC settings,",
                "as `java -jar` runs the product.");
        dev.ccaasfailover.testsupport.BenchmarkReport.write("context", section);
        System.out.println(section);
    }

}
