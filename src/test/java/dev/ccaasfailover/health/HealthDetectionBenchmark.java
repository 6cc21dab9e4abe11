package dev.ccaasfailover.health;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.FailoverConfig.HealthSettings;
import dev.ccaasfailover.testsupport.BenchmarkReport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Detection time and false failovers of the service's schedule (LayerSchedule + LayerTracker) at the defaults of
 * application.properties, against the old defaults (SIP on the API's 30 s cadence) and the guide's rule (every 30 s,
 * three consecutive Downs), on a virtual clock and the same modelled network for all. Also a sweep of
 * {@code sip-interval-ms}, the measurement its default was chosen by.
 * Run: {@code mvn -B -Pbench verify -Dtest=HealthDetectionBenchmark}.
 */
class HealthDetectionBenchmark {

    static final HealthSettings DEFAULTS = FailoverConfig.load(key -> null).health();
    static final HealthSettings OLD_DEFAULTS = withSipInterval(DEFAULTS, DEFAULTS.intervalMs());
    static final HealthSettings GUIDE = new HealthSettings(30000, 30000, 5000, 150, 3, 3, 30000, DEFAULTS.sipAliveCodes(), 1, 60000, "bench");
    static final int OUTAGES = 101;
    static final double THIRTY_DAYS = 30 * 86400.0;
    static final double API_RTT_S = 0.100;

    static HealthSettings withSipInterval(HealthSettings s, long sipIntervalMs) {
        return new HealthSettings(s.intervalMs(), sipIntervalMs, s.timeoutMs(), s.latencyThresholdMs(), s.downThreshold(),
                s.upThreshold(), s.confirmIntervalMs(), s.sipAliveCodes(), s.quorum(), s.quorumWindowMs(), "bench");
    }

    record Detection(double[] fromOnset, double[] fromFirstFailedProbe) {
        double median() {
            return HealthDetectionBenchmark.median(fromOnset);
        }

        double p90() {
            return HealthDetectionBenchmark.p90(fromOnset);
        }

        double medianFromFirstFailed() {
            return HealthDetectionBenchmark.median(fromFirstFailedProbe);
        }
    }

    /**
     * One layer's path dead from the onset on (a black hole: no answer, so every probe runs into the time-out); the
     * other layer is unaffected and, a platform being Down when either layer is, plays no part in the decision.
     */
    static Detection detect(HealthSettings s, Layer layer, long seed) {
        Random r = new Random(seed);
        double oneWay = (layer == Layer.SIP ? DetectionSimulation.RTT_S : API_RTT_S) / 2;
        double[] fromOnset = new double[OUTAGES];
        double[] fromFirst = new double[OUTAGES];
        for (int i = 0; i < OUTAGES; i++) {
            double onset = 300 + r.nextDouble() * 30; // uniform within a 30 s stretch, after warm-up
            DetectionSimulation sim = new DetectionSimulation(s, layer, t -> t < onset ? oneWay : Double.POSITIVE_INFINITY);
            DetectionSimulation.Decision down = sim.run(0, onset + 600).stream()
                    .filter(x -> x.change().to() == HealthStatus.Down).findFirst().orElseThrow();
            fromOnset[i] = down.atSeconds() - onset;
            fromFirst[i] = down.atSeconds() - sim.firstFailedProbeSentAt();
        }
        Arrays.sort(fromOnset);
        Arrays.sort(fromFirst);
        return new Detection(fromOnset, fromFirst);
    }

    static double median(double[] sorted) {
        return sorted[sorted.length / 2];
    }

    static double p90(double[] sorted) {
        return sorted[(int) Math.ceil(sorted.length * 0.9) - 1];
    }

    /** Each datagram (request or response) lost independently with this probability; a pure function of send time. */
    static DetectionSimulation.Link independentLoss(double p, long seed) {
        return t -> new SplittableRandom(seed ^ Double.doubleToLongBits(t)).nextDouble() >= p;
    }

    /** Total loss for 10 s at a time, bursts arriving at random (Poisson) once an hour on average. */
    static DetectionSimulation.Link lossBursts(long seed, double[] burstStartsOut) {
        Random r = new Random(seed);
        List<Double> starts = new ArrayList<>();
        for (double t = 0; t < THIRTY_DAYS; ) {
            t += -Math.log(1 - r.nextDouble()) * 3600;
            starts.add(t);
        }
        double[] s = starts.stream().mapToDouble(Double::doubleValue).toArray();
        if (burstStartsOut != null) {
            burstStartsOut[0] = s.length;
        }
        return t -> {
            int i = Arrays.binarySearch(s, t);
            int before = i >= 0 ? i : -i - 2;
            return before < 0 || t >= s[before] + 10;
        };
    }

    /**
     * RTT jitter between 150 and 400 ms (each datagram's one-way delay uniform in 75-200 ms) and 1 % reordering: a
     * reordered datagram is held back 0.5-6 s, so later ones overtake it, and a response held past its probe's time-out
     * arrives for an expired transaction (the service ignores it: fresh socket per probe, branch and CSeq matched).
     */
    static DetectionSimulation.Path jitterAndReordering(long seed) {
        return t -> {
            SplittableRandom r = new SplittableRandom(seed ^ Double.doubleToLongBits(t));
            double delay = 0.075 + r.nextDouble() * 0.125;
            return r.nextDouble() < 0.01 ? delay + 0.5 + r.nextDouble() * 5.5 : delay;
        };
    }

    /** A trace applied to both layers (each its own draw): the platform's false failovers are either layer's Downs. */
    record Trace(String name, DetectionSimulation.Path sip, DetectionSimulation.Path api) { }

    static long falseFailovers(HealthSettings s, Trace trace) {
        long downs = 0;
        for (Layer layer : Layer.values()) {
            DetectionSimulation.Path path = layer == Layer.SIP ? trace.sip() : trace.api();
            downs += new DetectionSimulation(s, layer, path).run(0, THIRTY_DAYS).stream()
                    .filter(d -> d.change().to() == HealthStatus.Down).count();
        }
        return downs;
    }

    static DetectionSimulation.Path withApiRtt(DetectionSimulation.Link link) {
        return t -> link.test(t) ? API_RTT_S / 2 : Double.POSITIVE_INFINITY;
    }

    @Test
    void detectionAndFalseFailovers() {
        Map<String, HealthSettings> schedules = new LinkedHashMap<>();
        schedules.put("defaults (SIP every %d s, API every %d s)".formatted(DEFAULTS.sipIntervalMs() / 1000, DEFAULTS.intervalMs() / 1000), DEFAULTS);
        schedules.put("old defaults (both every 30 s) — baseline", OLD_DEFAULTS);
        schedules.put("guide (30 s × 3, no fast confirmation)", GUIDE);

        double[] bursts = new double[1];
        List<Trace> traces = List.of(
                new Trace("2 % independent datagram loss", DetectionSimulation.Path.of(independentLoss(0.02, 7)), withApiRtt(independentLoss(0.02, 8))),
                new Trace("10 s total-loss bursts, Poisson 1/h", DetectionSimulation.Path.of(lossBursts(11, bursts)), withApiRtt(lossBursts(11, null))),
                new Trace("150–400 ms RTT jitter, 1 % reordering (0.5–6 s late)", jitterAndReordering(17), jitterAndReordering(18)),
                new Trace("25 % independent datagram loss (stress, beyond the target)", DetectionSimulation.Path.of(independentLoss(0.25, 13)), withApiRtt(independentLoss(0.25, 14))));

        StringBuilder detection = new StringBuilder();
        Map<HealthSettings, Detection> sipOutage = new LinkedHashMap<>();
        Map<HealthSettings, Detection> apiOutage = new LinkedHashMap<>();
        for (var e : schedules.entrySet()) {
            Detection sip = detect(e.getValue(), Layer.SIP, 42);
            Detection api = detect(e.getValue(), Layer.API, 43);
            sipOutage.put(e.getValue(), sip);
            apiOutage.put(e.getValue(), api);
            detection.append(String.format("| %s | %.1f s | %.1f s | %.1f s | %.1f s | %.1f s | %.1f s |%n", e.getKey(),
                    sip.median(), sip.p90(), sip.medianFromFirstFailed(), api.median(), api.p90(), api.medianFromFirstFailed()));
        }

        StringBuilder noise = new StringBuilder();
        Map<String, Long> defaultsFalse = new LinkedHashMap<>();
        for (Trace t : traces) {
            noise.append("| ").append(t.name());
            if (t.name().startsWith("10 s")) {
                noise.append(" (").append((int) bursts[0]).append(" bursts)");
            }
            for (HealthSettings s : schedules.values()) {
                long n = falseFailovers(s, t);
                noise.append(" | ").append(n);
                if (s == DEFAULTS) {
                    defaultsFalse.put(t.name(), n);
                }
            }
            noise.append(" |\n");
        }

        // The measurement sip-interval-ms's default was chosen by: the hard SIP outage and the noise on the SIP layer.
        StringBuilder sweep = new StringBuilder();
        for (long ms : new long[] {30000, 10000, 5000, 4000, 3000, 2000}) {
            HealthSettings s = withSipInterval(DEFAULTS, ms);
            Detection d = detect(s, Layer.SIP, 42);
            long falseOnTraces = 0;
            for (Trace t : traces.subList(0, 3)) {
                falseOnTraces += new DetectionSimulation(s, Layer.SIP, t.sip()).run(0, THIRTY_DAYS).stream()
                        .filter(x -> x.change().to() == HealthStatus.Down).count();
            }
            double perMinute = 60_000.0 / (ms + DetectionSimulation.RTT_S * 1000);
            sweep.append(String.format("| %.0f s%s | %.1f s | %.1f s | %d | %.1f |%n", ms / 1000.0,
                    ms == DEFAULTS.sipIntervalMs() ? " (default)" : "", d.median(), d.p90(), falseOnTraces, perMinute));
        }

        Detection sipNow = sipOutage.get(DEFAULTS);
        Detection apiNow = apiOutage.get(DEFAULTS);
        boolean noFalse = defaultsFalse.values().stream().limit(3).allMatch(n -> n == 0);
        String md = String.format("""
                ## Health checks: detection time and false failovers

                Command: `mvn -B -Pbench verify -Dtest=HealthDetectionBenchmark` (virtual clock; the service's own
                `LayerSchedule` + `LayerTracker` at the defaults of `application.properties`; SIP: UDP OPTIONS with
                RFC 3261 Timer A retransmissions at 0, 0.5, 1.5, 3.5 s inside the 5 s time-out, 10 ms RTT; API: one
                HTTPS GET on a kept-alive connection, TCP resending at 0, 1, 3 s, 100 ms RTT). Baselines in the same run:
                the old defaults (SIP probed on the API's 30 s cadence) and the guide's rule (every 30 s, 3 consecutive
                Downs), on the same outages and the same noise traces.

                Outages: %d each, the onset uniform over a 30 s stretch; the layer's path is a black hole from the onset
                (every probe runs into the time-out: the slowest case; a refused connection, a 5xx or a 503 is seen at
                once and is about one time-out faster). A platform is Down when either layer is Down, so the outage's
                layer alone decides.

                | schedule | hard SIP outage: onset → decision, median | p90 | first failed probe → decision | API-only outage: onset → decision, median | p90 | first failed probe → decision |
                |---|---|---|---|---|---|---|
                %s
                Targets at the defaults: hard SIP outage median ≤ 15 s: %s (%.1f s); API-only outage median ≤ 30 s: %s (%.1f s).
                The API layer's cadence is unchanged (30 s: 2 requests a minute of the OAuth client's budget, see
                docs/vendor-apis.md), so its figures equal the baseline's.

                False failovers over 30 simulated days (a layer marked Down while the platform is up; the same trace on
                both layers, each its own draw; the count is the sum over both layers):

                | trace | defaults | old defaults (baseline) | guide |
                |---|---|---|---|
                %s
                Target "zero false failovers" at the defaults on the 2 %%, burst and jitter/reordering traces: %s.

                How `failover.health.sip-interval-ms` was chosen (SIP layer only, otherwise the defaults; false failovers
                summed over the 2 %%, burst and jitter/reordering traces):

                | sip-interval-ms | hard SIP outage: onset → decision, median | p90 | false failovers | OPTIONS a minute per trunk and instance |
                |---|---|---|---|---|
                %s
                5 s is the longest interval whose median stays under 15 s with room for the real service's 250 ms tick
                (see the real-time section below); going faster buys about half the interval off the median
                and costs probes (each confirmation adds 2 OPTIONS, each retransmission 1).
                """,
                OUTAGES, detection, sipNow.median() <= 15 ? "met" : "NOT met", sipNow.median(),
                apiNow.median() <= 30 ? "met" : "NOT met", apiNow.median(), noise, noFalse ? "met" : "NOT met", sweep);
        BenchmarkReport.write("health-detection", md);
        System.out.println(md);

        assertThat(sipNow.median()).isLessThanOrEqualTo(15.0);
        assertThat(apiNow.median()).isLessThanOrEqualTo(30.0);
        assertThat(sipNow.median()).isLessThan(sipOutage.get(OLD_DEFAULTS).median());
        assertThat(apiNow.median()).isLessThanOrEqualTo(apiOutage.get(OLD_DEFAULTS).median());
        assertThat(defaultsFalse.values().stream().limit(3)).allMatch(n -> n == 0);
    }
}
