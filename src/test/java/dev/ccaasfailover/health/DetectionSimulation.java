package dev.ccaasfailover.health;

import dev.ccaasfailover.config.FailoverConfig.HealthSettings;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.DoublePredicate;

/**
 * The service's probe schedule and hysteresis ({@link LayerSchedule}) of one layer on a virtual clock, against a
 * modelled network path. A SIP probe is UDP OPTIONS sent at 0, 0.5, 1.5, 3.5 s (RFC 3261 Timer A/E) within the
 * time-out; an API probe is one HTTP request on a kept-alive TCP connection, whose segments TCP resends at 0, 1, 3 s
 * (RFC 6298: initial RTO 1 s, doubling). A probe is answered by the first transmission whose request and response both
 * arrive before the time-out: every transmission of a probe belongs to the same transaction (same branch and CSeq),
 * and a response arriving after the time-out belongs to an expired probe and counts for nothing, as
 * {@link ResponseMatcher} and the per-probe socket make it in the service. RTT counts from the first transmission.
 * Runs days of probes in milliseconds.
 */
final class DetectionSimulation {

    static final double RTT_S = 0.010;
    static final double T1_S = 0.5;
    static final double T2_S = 4.0;
    static final double TCP_RTO_S = 1.0;

    /** The network, as loss only: whether a datagram sent at this second (since the start) gets through. */
    interface Link extends DoublePredicate { }

    /**
     * The network, as delay: how long a datagram sent at this second takes to arrive, in seconds, or
     * {@link Double#POSITIVE_INFINITY} when it is lost. A pure function of the send time, so runs are repeatable.
     */
    interface Path {
        double oneWayDelay(double sentAt);

        /** A loss-only link with a fixed round trip of {@link #RTT_S}. */
        static Path of(Link link) {
            return t -> link.test(t) ? RTT_S / 2 : Double.POSITIVE_INFINITY;
        }
    }

    record Decision(double atSeconds, LayerTracker.Change change) { }

    private record Completion(double at, double sentAt, Observation observation) { }

    private final HealthSettings settings;
    private final Layer layer;
    private final Path path;
    private double firstFailedProbeSentAt = Double.NaN;
    private long probes;

    /** The SIP layer over a loss-only link (10 ms RTT). */
    DetectionSimulation(HealthSettings settings, Link link) {
        this(settings, Layer.SIP, Path.of(link));
    }

    DetectionSimulation(HealthSettings settings, Layer layer, Path path) {
        this.settings = settings;
        this.layer = layer;
        this.path = path;
    }

    /** The layer's status changes over {@code seconds} of probing, first probe at {@code firstProbe}. */
    List<Decision> run(double firstProbe, double seconds) {
        Instant epoch = Instant.EPOCH;
        LayerSchedule schedule = new LayerSchedule(settings, layer, at(epoch, firstProbe));
        PriorityQueue<Completion> inFlight = new PriorityQueue<>((a, b) -> Double.compare(a.at, b.at));
        List<Decision> decisions = new ArrayList<>();
        double now = firstProbe;
        while (now <= seconds) {
            double nextDue = schedule.nextDue() == Instant.MAX ? Double.MAX_VALUE : secondsOf(schedule.nextDue());
            double nextCompletion = inFlight.isEmpty() ? Double.MAX_VALUE : inFlight.peek().at;
            now = Math.min(nextDue, nextCompletion);
            if (now == Double.MAX_VALUE || now > seconds) {
                break;
            }
            if (nextCompletion <= nextDue || !schedule.due(at(epoch, now))) {
                // A completion comes first, or a probe is due but the in-flight cap holds it until one completes.
                Completion c = inFlight.poll();
                if (c == null) {
                    break;
                }
                if (c.observation.status() == HealthStatus.Down && Double.isNaN(firstFailedProbeSentAt)) {
                    firstFailedProbeSentAt = c.sentAt;
                }
                LayerSchedule.Applied applied = schedule.completed(at(epoch, c.sentAt), at(epoch, c.at), c.observation);
                if (applied.change() != null) {
                    decisions.add(new Decision(c.at, applied.change()));
                }
            } else {
                schedule.launched(at(epoch, now));
                probes++;
                inFlight.add(probe(now));
            }
        }
        return decisions;
    }

    /** When the first probe that came back Down was sent (NaN if none did). */
    double firstFailedProbeSentAt() {
        return firstFailedProbeSentAt;
    }

    /** Probes sent so far. */
    long probes() {
        return probes;
    }

    private Completion probe(double sentAt) {
        double timeout = settings.timeoutMs() / 1000.0;
        double answeredAt = Double.POSITIVE_INFINITY;
        double offset = 0;
        double gap = layer == Layer.SIP ? T1_S : TCP_RTO_S;
        while (offset < timeout && sentAt + offset < answeredAt) {
            double t = sentAt + offset;
            double request = path.oneWayDelay(t);
            if (request != Double.POSITIVE_INFINITY) {
                double response = path.oneWayDelay(t + request);
                answeredAt = Math.min(answeredAt, t + request + response);
            }
            offset += gap;
            gap = layer == Layer.SIP ? Math.min(gap * 2, T2_S) : gap * 2;
        }
        if (answeredAt - sentAt >= timeout) {
            return new Completion(sentAt + timeout, sentAt, Observation.down("no answer"));
        }
        long rttMs = Math.round((answeredAt - sentAt) * 1000);
        Observation o = rttMs > settings.latencyThresholdMs()
                ? Observation.degraded(rttMs, "answered, slow") : Observation.up(rttMs, "answered");
        return new Completion(answeredAt, sentAt, o);
    }

    private static Instant at(Instant epoch, double seconds) {
        return epoch.plus(Duration.ofNanos(Math.round(seconds * 1e9)));
    }

    private static double secondsOf(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }
}
