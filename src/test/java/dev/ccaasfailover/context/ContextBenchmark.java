package dev.ccaasfailover.context;

import dev.ccaasfailover.store.GuardedWrite;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Customer-context figures, each against its raw store baseline measured in the same run on the same store:
 * durable ingest (POST /events, arrays of 500) vs raw putGuarded of the same items; GET /context at a fixed rate
 * (in-JVM generator, latency from the intended send time) vs the raw Queries of the same caller. Writes its own
 * section of BENCHMARKS.md. Run: mvn -B -Pbench verify.
 */
class ContextBenchmark {

    static final int BATCH = 500;
    static final int BATCHES = 20;
    static final int CALLERS = 1000;
    static final int RATE = 500;
    static final int SECONDS = 10;
    static final Instant T0 = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);

    @Test
    void ingestAndContextLookup() throws Exception {
        try (RunningMiddleware app = RunningMiddleware.start(Map.of("camel.main.jmxEnabled", "false"))) {
            Store store = app.context().getRegistry().lookupByNameAndType("store", Store.class);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

            // Warm-up of both paths.
            ingest(app, http, "warm", 5);
            raw(store, "warmraw", 5);

            double rawPerSec = raw(store, "raw", BATCHES);
            double ingestPerSec = ingest(app, http, "ing", BATCHES);

            // Context: callers with ~10 call events and heartbeats each (written above, plus these).
            List<String> phones = new ArrayList<>();
            for (int c = 0; c < CALLERS; c++) {
                phones.add(phone(c));
            }
            URI[] uris = phones.stream().map(p -> app.uri("/context/" + p)).toArray(URI[]::new);
            fixedRate(() -> CompletableFuture.completedFuture(null), 200, 1); // JIT warm-up of the generator
            fixedRate(i -> http.sendAsync(get(uris[i % CALLERS]), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(r -> assertThat(r.statusCode()).isEqualTo(200)), RATE, 3);
            long[] httpLatency = fixedRate(i -> http.sendAsync(get(uris[i % CALLERS]), HttpResponse.BodyHandlers.ofString())
                    .thenAccept(r -> {
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("status " + r.statusCode());
                        }
                    }), RATE, SECONDS);
            long[] rawLatency = fixedRate(i -> CompletableFuture.runAsync(() -> {
                String p = phones.get(i % CALLERS);
                store.query(ContextTables.EVENTS, p, CustomerContext.EVENTS_READ);
                store.query(ContextTables.IVR_STATES, p, 1);
            }), RATE, SECONDS);

            write(rawPerSec, ingestPerSec, httpLatency, rawLatency);
        }
    }

    static String phone(int c) {
        return String.format("+1317555%04d", c % 10000);
    }

    /** Events for batch b: 10 per caller-call, spread across the callers. */
    static List<String> events(String prefix, int b) {
        List<String> out = new ArrayList<>(BATCH);
        String[] types = {"CallStarted", "QueueEntered", "TransferInitiated", "CallEnded", "IVRState"};
        for (int i = 0; i < BATCH; i++) {
            int n = b * BATCH + i;
            String type = types[n % types.length];
            out.add(ContextEvents.canonical(prefix + "-" + n, type, n % 2 == 0 ? "genesys" : "nice", prefix + "-call-" + (n / 5),
                    phone((n / 5) % CALLERS), T0.plusSeconds(n).toString(),
                    "\"queueId\":\"q-1\",\"intent\":\"billing\",\"agentId\":\"a-" + (n % 50) + "\",\"currentStep\":\"Menu\""));
        }
        return out;
    }

    static double ingest(RunningMiddleware app, HttpClient http, String prefix, int batches) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            bodies.add("[" + String.join(",", events(prefix, b)) + "]");
        }
        long start = System.nanoTime();
        for (String body : bodies) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(app.uri("/events"))
                    .header("Authorization", "Bearer " + RunningMiddleware.INGEST_TOKEN)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
        return batches * (double) BATCH / ((System.nanoTime() - start) / 1e9);
    }

    /** The same three items per event (dedupe guard, caller, call), written straight to the store. */
    static double raw(Store store, String prefix, int batches) {
        List<List<GuardedWrite>> all = new ArrayList<>();
        Instant expires = T0.plus(Duration.ofDays(90));
        for (int b = 0; b < batches; b++) {
            List<GuardedWrite> writes = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                int n = b * BATCH + i;
                String id = prefix + "-" + n;
                String sk = CanonicalEvent.format(T0.plusSeconds(n)) + "#" + id;
                String data = "{\"eventId\":\"" + id + "\",\"type\":\"CallStarted\",\"platform\":\"genesys\",\"callId\":\"c\","
                        + "\"phoneNumber\":\"" + phone(n) + "\",\"timestamp\":\"" + CanonicalEvent.format(T0.plusSeconds(n)) + "\"}";
                writes.add(new GuardedWrite(StoreItem.of(ContextTables.DEDUPE, id, ContextTables.DEDUPE_SK, "{}", expires),
                        List.of(StoreItem.of("bench-raw", phone(n), sk, data, expires),
                                StoreItem.of("bench-raw-calls", prefix + "-call-" + (n / 5), sk, data, expires))));
            }
            all.add(writes);
        }
        long start = System.nanoTime();
        for (List<GuardedWrite> w : all) {
            store.putGuarded(w);
        }
        return batches * (double) BATCH / ((System.nanoTime() - start) / 1e9);
    }

    static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + RunningMiddleware.CONTEXT_TOKEN).GET().build();
    }

    interface Call {
        CompletableFuture<?> start(int i);
    }

    static long[] fixedRate(Supplier<CompletableFuture<?>> call, int rate, int seconds) {
        return fixedRate(i -> call.get(), rate, seconds);
    }

    /** Sends at the intended times whatever the responses do; latency counts from the intended time. */
    static long[] fixedRate(Call call, int rate, int seconds) {
        int n = rate * seconds;
        long period = 1_000_000_000L / rate;
        long[] latency = new long[n];
        List<CompletableFuture<?>> pending = new ArrayList<>(n);
        long start = System.nanoTime() + 10_000_000L;
        for (int i = 0; i < n; i++) {
            long intended = start + i * period;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            pending.add(call.start(i).whenComplete((r, e) -> latency[index] = e != null ? -1 : System.nanoTime() - intended));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        assertThat(Arrays.stream(latency).filter(l -> l < 0)).isEmpty();
        Arrays.sort(latency);
        return latency;
    }

    static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    static void write(double raw, double ingest, long[] http, long[] rawQ) throws Exception {
        double ratio = ingest / raw;
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
                String.format(Locale.ROOT, "| durable ingest, POST /events arrays of %d over HTTP | %.0f events/s | raw `putGuarded` of the same items: %.0f events/s (%.0f %%) | ≥ 70 %% of raw | %s |",
                        BATCH, ingest, raw, ratio * 100, ratio >= 0.70 ? "yes" : "no"),
                String.format(Locale.ROOT, "| GET /context at %d req/s for %d s (%d callers), p50 | " + f + " ms | raw Queries (events + ivr-states) p50 " + f + " ms; overhead " + f + " ms | overhead ≤ 2 ms | %s |",
                        RATE, SECONDS, CALLERS, ms(http, 0.5), ms(rawQ, 0.5), overheadP50, overheadP50 <= 2 ? "yes" : "no"),
                String.format(Locale.ROOT, "| GET /context, p99 | " + f + " ms | raw p99 " + f + " ms | ≤ 25 ms | %s |",
                        ms(http, 0.99), ms(rawQ, 0.99), ms(http, 0.99) <= 25 ? "yes" : "no"),
                String.format(Locale.ROOT, "| GET /context, max | " + f + " ms | raw max " + f + " ms | | |", ms(http, 1.0), ms(rawQ, 1.0)),
                "",
                "Ingest: each event is three items (dedupe guard, caller, call) written with the other 499 of its array in one",
                "SQLite transaction (one fsync); the baseline writes the same three items per event with the same call, without",
                "HTTP, JSON, validation and phone normalization. Context latency is measured from the intended send time of a",
                "fixed-rate generator in the same JVM (so a stall counts against every request it delays), over loopback HTTP/1.1.");
        dev.ccaasfailover.testsupport.BenchmarkReport.write("context", section);
        System.out.println(section);
    }

}
