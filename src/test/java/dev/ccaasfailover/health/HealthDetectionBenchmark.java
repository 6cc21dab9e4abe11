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
    static final double BURST_S = 10;
    /** Each noise trace is run this many times, the schedule shifted against it, so a result is not one phase's luck. */
    static final int PHASES = 10;
    static final double PHASE_STEP_S = 2.718;

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

    /** Starts of 10 s total-loss bursts arriving at random (Poisson) once an hour on average, over 30 days. */
    static double[] burstStarts(long seed) {
        Random r = new Random(seed);
        List<Double> starts = new ArrayList<>();
        for (double t = 0; t < THIRTY_DAYS; ) {
            t += -Math.log(1 - r.nextDouble()) * 3600;
            starts.add(t);
        }
        return starts.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Total loss for 10 s from each start. */
    static DetectionSimulation.Link lossBursts(double[] starts) {
        return t -> {
            int i = Arrays.binarySearch(starts, t);
            int before = i >= 0 ? i : -i - 2;
            return before < 0 || t >= starts[before] + BURST_S;
        };
    }

    /**
     * Bursts that follow the previous one by less than one time-out of answered network: together they are one
     * longer loss (the probes of the first are still running when the second begins), as [start, end) seconds.
     */
    static List<double[]> mergedBursts(double[] starts, double timeoutS) {
        List<double[]> merged = new ArrayList<>();
        for (int i = 1; i < starts.length; i++) {
            if (starts[i] - (starts[i - 1] + BURST_S) < timeoutS) {
                merged.add(new double[] {starts[i - 1], starts[i] + BURST_S});
            }
        }
        return merged;
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

    /** Down decisions of one layer on a trace, over every phase, as trace times (seconds since the trace's start). */
    static List<Double> downs(HealthSettings s, Layer layer, DetectionSimulation.Path path) {
        List<Double> at = new ArrayList<>();
        for (int k = 0; k < PHASES; k++) {
            double phase = k * PHASE_STEP_S;
            DetectionSimulation.Path shifted = t -> path.oneWayDelay(t + phase);
            new DetectionSimulation(s, layer, shifted).run(0, THIRTY_DAYS).stream()
                    .filter(d -> d.change().to() == HealthStatus.Down).forEach(d -> at.add(d.atSeconds() + phase));
        }
        return at;
    }

    record FalseFailovers(List<Double> sip, List<Double> api) {
        int total() {
            return sip.size() + api.size();
        }

        long within(List<double[]> spans) {
            return java.util.stream.Stream.concat(sip.stream(), api.stream())
                    .filter(t -> spans.stream().anyMatch(m -> t >= m[0] && t <= m[1] + 10)).count();
        }
    }

    static FalseFailovers falseFailovers(HealthSettings s, Trace trace) {
        return new FalseFailovers(downs(s, Layer.SIP, trace.sip()), downs(s, Layer.API, trace.api()));
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

        double[] starts = burstStarts(11);
        List<double[]> merged = mergedBursts(starts, DEFAULTS.timeoutMs() / 1000.0);
        DetectionSimulation.Link bursts = lossBursts(starts);
        List<Trace> traces = List.of(
                new Trace("2 % independent datagram loss", DetectionSimulation.Path.of(independentLoss(0.02, 7)), withApiRtt(independentLoss(0.02, 8))),
                new Trace("10 s total-loss bursts, Poisson 1/h (" + starts.length + " bursts)", DetectionSimulation.Path.of(bursts), withApiRtt(bursts)),
                new Trace("150–400 ms RTT jitter, 1 % reordering (0.5–6 s late)", jitterAndReordering(17), jitterAndReordering(18)),
                new Trace("25 % independent datagram loss (stress, beyond the target)", DetectionSimulation.Path.of(independentLoss(0.25, 13)), withApiRtt(independentLoss(0.25, 14))));
        Trace burstTrace = traces.get(1);

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
        StringBuilder mergedRow = new StringBuilder("| of which in a merged burst (below)");
        Map<Trace, FalseFailovers> atDefaults = new LinkedHashMap<>();
        for (Trace t : traces) {
            noise.append("| ").append(t.name());
            for (HealthSettings s : schedules.values()) {
                FalseFailovers f = falseFailovers(s, t);
                noise.append(" | ").append(f.sip().size()).append(" + ").append(f.api().size());
                if (s == DEFAULTS) {
                    atDefaults.put(t, f);
                }
                if (t == burstTrace) {
                    mergedRow.append(" | ").append(f.within(merged));
                }
            }
            noise.append(" |\n");
            if (t == burstTrace) {
                noise.append(mergedRow).append(" |\n");
            }
        }
        StringBuilder mergedList = new StringBuilder();
        for (double[] m : merged) {
            mergedList.append(String.format("%.1f s of loss at day %.1f (bursts %.2f s apart); ", m[1] - m[0], m[0] / 86400,
                    m[1] - m[0] - 2 * BURST_S));
        }

        // The measurement sip-interval-ms's default was chosen by: the hard SIP outage and the noise on the SIP layer.
        StringBuilder sweep = new StringBuilder();
        for (long ms : new long[] {30000, 10000, 6000, 5000, 4000, 3000, 2000}) {
            HealthSettings s = withSipInterval(DEFAULTS, ms);
            Detection d = detect(s, Layer.SIP, 42);
            long loss = downs(s, Layer.SIP, traces.get(0).sip()).size();
            List<Double> burst = downs(s, Layer.SIP, burstTrace.sip());
            long inMerged = new FalseFailovers(burst, List.of()).within(merged);
            long jitter = downs(s, Layer.SIP, traces.get(2).sip()).size();
            double perMinute = 60_000.0 / (ms + DetectionSimulation.RTT_S * 1000);
            sweep.append(String.format("| %.0f s%s | %.1f s | %.1f s | %d | %d (%d merged) | %d | %.1f |%n", ms / 1000.0,
                    ms == DEFAULTS.sipIntervalMs() ? " (default)" : "", d.median(), d.p90(), loss, burst.size(), inMerged,
                    jitter, perMinute));
        }

        Detection sipNow = sipOutage.get(DEFAULTS);
        Detection apiNow = apiOutage.get(DEFAULTS);
        FalseFailovers lossNow = atDefaults.get(traces.get(0));
        FalseFailovers burstNow = atDefaults.get(burstTrace);
        FalseFailovers jitterNow = atDefaults.get(traces.get(2));
        boolean noFalse = lossNow.total() == 0 && burstNow.total() - burstNow.within(merged) == 0 && jitterNow.total() == 0;
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

                False failovers (a layer marked Down while the platform is up), SIP + API, over 30 days of each trace
                run %d times with the schedule shifted %.3f s further against it each time (300 simulated days); a
                trace hits both layers (loss and jitter each their own draw, the bursts the same for both):

                | trace | defaults | old defaults (baseline) | guide |
                |---|---|---|---|
                %s
                Merged bursts: two bursts less than one time-out (5 s) apart are one longer loss, since the first one's
                probes are still running when the second begins: %s
                any schedule that detects a hard outage within 15 s must fail over on a 20 s loss in the phases where a
                probe lands early in it, and the 30 s schedules do too. Separate 10 s bursts never fail over at any
                phase (`LayerScheduleTest`: one burst, and two bursts one time-out apart, stepped over 30 s in 0.25 s).

                Target "zero false failovers" at the defaults on the 2 %%, jitter/reordering and burst traces (isolated
                bursts): %s.

                How `failover.health.sip-interval-ms` was chosen (SIP layer only, otherwise the defaults; the same
                traces and phases):

                | sip-interval-ms | hard SIP outage: onset → decision, median | p90 | false failovers, 2 %% loss | bursts | jitter/reordering | OPTIONS a minute per trunk and instance |
                |---|---|---|---|---|---|---|
                %s
                The median is about half the interval plus 12 s (one time-out and two 1 s confirmations: the last
                confirmation's last retransmission goes out 10.5 s after the first failed probe, so a 10 s burst is never
                confirmed). A shorter interval buys half its difference off the median at a proportional cost in
                OPTIONS; which phases catch a merged burst varies with the interval, without a trend. The default, 5 s,
                is the longest whole second whose median meets the target here with room for the service's 250 ms tick,
                and it meets it in real time on the simulators too (next section).
                """,
                OUTAGES, detection, sipNow.median() <= 15 ? "met" : "NOT met", sipNow.median(),
                apiNow.median() <= 30 ? "met" : "NOT met", apiNow.median(), PHASES, PHASE_STEP_S, noise, mergedList,
                noFalse ? "met" : "NOT met", sweep);
        BenchmarkReport.write("health-detection", md);
        System.out.println(md);

        assertThat(sipNow.median()).isLessThanOrEqualTo(15.0);
        assertThat(apiNow.median()).isLessThanOrEqualTo(30.0);
        assertThat(sipNow.median()).isLessThan(sipOutage.get(OLD_DEFAULTS).median());
        assertThat(apiNow.median()).isLessThanOrEqualTo(apiOutage.get(OLD_DEFAULTS).median());
        assertThat(noFalse).as("no false failover on the 2 %%, jitter and isolated-burst traces").isTrue();
    }
}
