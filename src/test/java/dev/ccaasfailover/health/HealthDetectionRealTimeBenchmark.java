package dev.ccaasfailover.health;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.FailoverConfig.HealthSettings;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.security.OAuthTokenSource;
import dev.ccaasfailover.simulator.Fault;
import dev.ccaasfailover.simulator.GenesysSimulator;
import dev.ccaasfailover.simulator.SipUas;
import dev.ccaasfailover.sip.SipTransport;
import dev.ccaasfailover.store.SqliteStore;
import dev.ccaasfailover.testsupport.BenchmarkReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Onset → decision in real time: the service's {@link HealthMonitor} with its real probers ({@link SipOptionsProber}
 * over UDP, {@link ApiLivenessProber} with OAuth) ticked every 250 ms as the health-tick route does, against the
 * simulators (a SIP UAS per trunk, the Genesys simulator), {@value #OUTAGES} outages per row, all rows at once.
 * Run: {@code mvn -B -Pbench verify -Dtest=HealthDetectionRealTimeBenchmark} (about 2 minutes).
 */
class HealthDetectionRealTimeBenchmark {

    static final int OUTAGES = 10;
    static final long TICK_MS = 250;

    @TempDir
    Path dir;

    /** One row: a schedule and the layer its outages hit. */
    record Row(String name, HealthSettings settings, Layer outage) { }

    /** One platform under test, with its own faulted peer. */
    static final class Watched {
        final Row row;
        final HealthMonitor monitor;
        final HealthBoard board;
        final SipUas trunk;
        final GenesysSimulator api;
        final double onsetAfterS;
        volatile long onsetNanos;
        volatile long decidedNanos;

        Watched(Row row, HealthMonitor monitor, HealthBoard board, SipUas trunk, GenesysSimulator api, double onsetAfterS) {
            this.row = row;
            this.monitor = monitor;
            this.board = board;
            this.trunk = trunk;
            this.api = api;
            this.onsetAfterS = onsetAfterS;
        }
    }

    @Test
    void onsetToDecisionOnTheSimulators() throws Exception {
        HealthSettings defaults = FailoverConfig.load(key -> null).health();
        HealthSettings old = HealthDetectionBenchmark.withSipInterval(defaults, defaults.intervalMs());
        List<Row> rows = List.of(
                new Row("hard SIP outage, defaults (SIP every %d s)".formatted(defaults.sipIntervalMs() / 1000), defaults, Layer.SIP),
                new Row("hard SIP outage, old defaults (SIP every 30 s) — baseline", old, Layer.SIP),
                new Row("hard SIP outage, SIP every 4 s", HealthDetectionBenchmark.withSipInterval(defaults, 4000), Layer.SIP),
                new Row("hard SIP outage, SIP every 3 s", HealthDetectionBenchmark.withSipInterval(defaults, 3000), Layer.SIP),
                new Row("API-only outage (hanging API), defaults (API every %d s)".formatted(defaults.intervalMs() / 1000), defaults, Layer.API),
                new Row("API-only outage (hanging API), old defaults — baseline", old, Layer.API));

        FailoverConfig config = FailoverConfig.load(key -> null);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(defaults.timeoutMs())).build();
        SipOptionsProber sipProber = new SipOptionsProber(defaults.sipAliveCodes());
        List<AutoCloseable> closing = new ArrayList<>();
        ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
        Random random = new Random(20);
        try (SqliteStore store = new SqliteStore(dir, Clock.systemUTC())) {
            GenesysSimulator healthyApi = start(new GenesysSimulator(0), closing);
            SipUas healthyTrunk = SipUas.start(SipTransport.UDP, 0);
            closing.add(healthyTrunk);
            List<Watched> all = new ArrayList<>();
            for (Row row : rows) {
                long intervalMs = row.outage() == Layer.SIP ? row.settings().sipIntervalMs() : row.settings().intervalMs();
                for (int i = 0; i < OUTAGES; i++) {
                    SipUas trunk = healthyTrunk;
                    GenesysSimulator api = healthyApi;
                    if (row.outage() == Layer.SIP) {
                        trunk = SipUas.start(SipTransport.UDP, 0);
                        closing.add(trunk);
                    } else {
                        api = start(new GenesysSimulator(0), closing);
                    }
                    SipTarget target = SipTarget.parse(trunk.uri());
                    HealthSettings s = row.settings();
                    OAuthTokenSource tokens = OAuthTokenSource.clientCredentials("genesys", URI.create(api.tokenUrl()),
                            "client", "secret", http, Clock.systemUTC());
                    ApiLivenessProber apiProber = new ApiLivenessProber(URI.create(api.baseUrl() + "/api/v2/organizations/me"), tokens, http);
                    Map<Layer, HealthMonitor.LayerProbe> layers = new EnumMap<>(Layer.class);
                    layers.put(Layer.SIP, t -> Observation.ofSip(sipProber.probe(target, t), s.latencyThresholdMs()));
                    layers.put(Layer.API, apiProber::probe);
                    Map<Platform, Map<Layer, HealthMonitor.LayerProbe>> probes = new EnumMap<>(Platform.class);
                    probes.put(Platform.GENESYS, layers);
                    HealthBoard board = new HealthBoard(config, Clock.systemUTC());
                    HealthMonitor monitor = new HealthMonitor(s, board, Clock.systemUTC(), probes,
                            new QuorumGate(store, "bench", 1, s.quorumWindowMs(), Clock.systemUTC()));
                    closing.add(monitor);
                    // Onset phases spread evenly over one probe interval (one per tenth, uniform inside it): an outage's
                    // onset is uniform relative to the schedule, and stratifying keeps ten samples representative.
                    double onsetAfter = (i + random.nextDouble()) * (intervalMs + TICK_MS) / 1000.0 / OUTAGES;
                    all.add(new Watched(row, monitor, board, trunk, api, onsetAfter));
                }
            }
            for (GenesysSimulator sim : simulatorsOf(all, healthyApi)) {
                sim.setCredentials("client", "secret");
            }

            long start = System.nanoTime();
            for (Watched w : all) {
                ticks.scheduleWithFixedDelay(() -> {
                    for (PlatformEvent e : w.monitor.tick()) {
                        if (e.kind() == PlatformEvent.Kind.DOWN && w.onsetNanos != 0 && w.decidedNanos == 0) {
                            w.decidedNanos = System.nanoTime();
                        }
                    }
                }, 0, TICK_MS, TimeUnit.MILLISECONDS);
            }
            // Warm-up: every platform Up on both layers, and one full API interval so every schedule is in its steady rhythm.
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> all.stream()
                    .allMatch(w -> boardOf(w) == HealthStatus.Up));
            long warm = System.nanoTime() - start;
            long onsetBase = start + Math.max(warm, TimeUnit.MILLISECONDS.toNanos(defaults.intervalMs() + 2000));
            for (Watched w : all) {
                ticks.schedule(() -> {
                    w.onsetNanos = System.nanoTime();
                    if (w.row.outage() == Layer.SIP) {
                        w.trunk.silent();
                    } else {
                        w.api.setFault(Fault.hang());
                    }
                }, onsetBase - System.nanoTime() + (long) (w.onsetAfterS * 1e9), TimeUnit.NANOSECONDS);
            }
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> all.stream().allMatch(w -> w.decidedNanos != 0));

            StringBuilder table = new StringBuilder();
            double sipDefaultsMedian = 0;
            double apiDefaultsMedian = 0;
            for (Row row : rows) {
                double[] d = all.stream().filter(w -> w.row == row)
                        .mapToDouble(w -> (w.decidedNanos - w.onsetNanos) / 1e9).sorted().toArray();
                double median = (d[OUTAGES / 2 - 1] + d[OUTAGES / 2]) / 2;
                double p90 = d[(int) Math.ceil(OUTAGES * 0.9) - 1];
                table.append(String.format("| %s | %d | %.1f s | %.1f s | %.1f–%.1f s |%n", row.name(), d.length, median, p90, d[0], d[d.length - 1]));
                if (row == rows.get(0)) {
                    sipDefaultsMedian = median;
                }
                if (row == rows.get(4)) {
                    apiDefaultsMedian = median;
                }
            }
            String md = String.format("""
                    ## Health checks: detection in real time on the simulators

                    Command: `mvn -B -Pbench verify -Dtest=HealthDetectionRealTimeBenchmark` (about 2 minutes). The service's
                    `HealthMonitor` with its real probers (SIP OPTIONS over UDP to the SIP UAS simulator; an OAuth-authenticated
                    `GET /api/v2/organizations/me` on the Genesys simulator), ticked every 250 ms as the `health-tick` route
                    does; all rows run at the same time, one simulator per outage. Outage: the UAS goes silent (a black-holed
                    trunk) or the API hangs (every request held past the time-out), at an onset spread evenly over one probe
                    interval after a warm-up of one API interval. Baseline: the old defaults (SIP on the API's 30 s cadence),
                    in the same run. Median of %d is the mean of the 5th and 6th; p90 the 9th.

                    | outage, schedule | outages | onset → decision, median | p90 | range |
                    |---|---|---|---|---|
                    %s
                    Targets at the defaults: hard SIP outage median ≤ 15 s: %s (%.1f s); API-only outage median ≤ 30 s: %s (%.1f s).
                    The real service adds up to one 250 ms tick to each launch against the virtual clock's figures.
                    """, OUTAGES, table, sipDefaultsMedian <= 15 ? "met" : "NOT met", sipDefaultsMedian,
                    apiDefaultsMedian <= 30 ? "met" : "NOT met", apiDefaultsMedian);
            BenchmarkReport.write("health-detection-real-time", md);
            System.out.println(md);
            assertThat(sipDefaultsMedian).isLessThanOrEqualTo(15.0);
            assertThat(apiDefaultsMedian).isLessThanOrEqualTo(30.0);
        } finally {
            ticks.shutdownNow();
            for (AutoCloseable c : closing) {
                if (c instanceof GenesysSimulator sim) {
                    sim.clearFault(); // release the held requests before stopping
                }
                c.close();
            }
        }
    }

    private static HealthStatus boardOf(Watched w) {
        return w.board.platformStatus(Platform.GENESYS);
    }

    private static GenesysSimulator start(GenesysSimulator sim, List<AutoCloseable> closing) {
        sim.start();
        closing.add(sim);
        return sim;
    }

    private static List<GenesysSimulator> simulatorsOf(List<Watched> all, GenesysSimulator healthy) {
        List<GenesysSimulator> sims = new ArrayList<>(List.of(healthy));
        all.stream().map(w -> w.api).filter(a -> a != healthy).forEach(sims::add);
        return sims;
    }
}
