package dev.ccaasfailover.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * An open-loop, fixed-rate load generator: request i is due at start + i / rate and is sent then whatever earlier
 * requests are doing; its latency counts from that intended time (no coordinated omission: a stall of the server,
 * or of the generator, counts against every request it delays). Used in-process for in-JVM baselines, and as a
 * separate JVM ({@link #main}, started by {@link #inChildJvm}) for HTTP load, so the generator's HTTP client, JIT and
 * garbage do not share the measured server's JVM.
 */
public final class FixedRateLoad {

    private FixedRateLoad() {
    }

    /** Starts request i; the future completes when its answer is in (exceptionally when it failed). */
    public interface Call {
        CompletableFuture<?> start(int i);
    }

    /** Sorted latencies in nanoseconds of rate * seconds calls; throws if any failed. */
    public static long[] run(Call call, int rate, int seconds) {
        long[] latency = inSendOrder(call, rate, seconds);
        Arrays.sort(latency);
        return latency;
    }

    /** Latencies in nanoseconds of rate * seconds calls, in the order they were sent; throws if any failed. */
    public static long[] inSendOrder(Call call, int rate, int seconds) {
        int n = rate * seconds;
        long period = 1_000_000_000L / rate;
        long[] latency = new long[n];
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<?>> pending = new ArrayList<>(n);
        long start = System.nanoTime() + 10_000_000L;
        for (int i = 0; i < n; i++) {
            long intended = start + i * period;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            CompletableFuture<?> f;
            try {
                f = call.start(i);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            pending.add(f.whenComplete((r, e) -> {
                latency[index] = System.nanoTime() - intended;
                if (e != null) {
                    failed.incrementAndGet();
                }
            }));
        }
        CompletableFuture.allOf(pending.stream().map(f -> f.exceptionally(e -> null)).toArray(CompletableFuture[]::new)).join();
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + n + " calls failed");
        }
        return latency;
    }

    /** The q-quantile of sorted nanosecond latencies, in milliseconds. */
    public static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))] / 1e6;
    }

    /**
     * GETs of {@code base + paths[i % paths.length]} with a bearer token from a second JVM on this machine's test
     * classpath: warm-up seconds at the rate first (JIT of both sides), then the measured seconds.
     *
     * @return the measured latencies in nanoseconds, in send order
     */
    public static long[] inChildJvm(URI base, String token, List<String> paths, int rate, int warmupSeconds, int seconds)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("fixed-rate-load");
        Path pathsFile = dir.resolve("paths.txt");
        Path out = dir.resolve("latency-ns.txt");
        Files.write(pathsFile, paths, StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The generator's own JVM: a small heap and the serial collector, so it takes little of the shared cores.
        Process p = new ProcessBuilder(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                FixedRateLoad.class.getName(), base.toString(), token, pathsFile.toString(), String.valueOf(rate),
                String.valueOf(warmupSeconds), String.valueOf(seconds), out.toString())
                .redirectErrorStream(true).start();
        String log;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            log = r.lines().collect(Collectors.joining("\n"));
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("load generator failed:\n" + log);
        }
        return Files.readAllLines(out).stream().mapToLong(Long::parseLong).toArray();
    }

    /** Child-JVM entry: base token pathsFile rate warmupSeconds seconds outFile. */
    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String token = args[1];
        List<String> paths = Files.readAllLines(Path.of(args[2]));
        int rate = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest[] requests = paths.stream().map(path -> HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build()).toArray(HttpRequest[]::new);
        IntFunction<CompletableFuture<?>> get = i -> http.sendAsync(requests[i % requests.length], HttpResponse.BodyHandlers.ofString())
                .thenAccept(r -> {
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("status " + r.statusCode() + ": " + r.body());
                    }
                });
        if (warmup > 0) {
            run(get::apply, rate, warmup);
        }
        long[] latency = inSendOrder(get::apply, rate, seconds);
        Files.write(Path.of(args[6]), Arrays.stream(latency).mapToObj(Long::toString).toList());
        Arrays.sort(latency);
        System.out.printf("sent %d at %d/s: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", latency.length, rate,
                ms(latency, 0.5), ms(latency, 0.99), ms(latency, 1.0));
        System.exit(0);
    }
}
