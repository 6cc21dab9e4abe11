package dev.ccaasfailover.health;

import dev.ccaasfailover.config.FailoverConfig.HealthSettings;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.DoublePredicate;

/**
 * The service's probe schedule and hysteresis ({@link LayerSchedule}) on a virtual clock, against a modelled SIP
 * path: a UDP OPTIONS probe is sent at 0, 0.5, 1.5, 3.5 s (RFC 3261 Timer A) within the time-out and is answered
 * when one of its requests and that request's response both get through. Runs days of probes in milliseconds.
 */
final class DetectionSimulation {

    static final double RTT_S = 0.010;
    static final double T1_S = 0.5;

    /** The network: whether a datagram sent at this second (since the start) gets through. */
    interface Link extends DoublePredicate { }

    record Decision(double atSeconds, LayerTracker.Change change) { }

    private record Completion(double at, double sentAt, Observation observation) { }

    private final HealthSettings settings;
    private final Link link;

    DetectionSimulation(HealthSettings settings, Link link) {
        this.settings = settings;
        this.link = link;
    }

    /** The layer's status changes over {@code seconds} of probing, first probe at {@code firstProbe}. */
    List<Decision> run(double firstProbe, double seconds) {
        Instant epoch = Instant.EPOCH;
        LayerSchedule schedule = new LayerSchedule(settings, at(epoch, firstProbe));
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
            if (nextCompletion <= nextDue) {
                Completion c = inFlight.poll();
                LayerSchedule.Applied applied = schedule.completed(at(epoch, c.sentAt), at(epoch, c.at), c.observation);
                if (applied.change() != null) {
                    decisions.add(new Decision(c.at, applied.change()));
                }
            } else if (schedule.due(at(epoch, now))) {
                schedule.launched(at(epoch, now));
                inFlight.add(probe(now));
            } else {
                // Due but at the in-flight cap: wait for the next completion.
                Completion c = inFlight.poll();
                if (c == null) {
                    break;
                }
                LayerSchedule.Applied applied = schedule.completed(at(epoch, c.sentAt), at(epoch, c.at), c.observation);
                if (applied.change() != null) {
                    decisions.add(new Decision(c.at, applied.change()));
                }
            }
        }
        return decisions;
    }

    private Completion probe(double sentAt) {
        double timeout = settings.timeoutMs() / 1000.0;
        double offset = 0;
        double gap = T1_S;
        while (offset < timeout) {
            double t = sentAt + offset;
            if (link.test(t) && link.test(t + RTT_S / 2)) {
                long rttMs = Math.round((offset + RTT_S) * 1000);
                return new Completion(t + RTT_S, sentAt, Observation.up(rttMs, "answered"));
            }
            offset += gap;
            gap = Math.min(gap * 2, 4.0);
        }
        return new Completion(sentAt + timeout, sentAt, Observation.down("no answer"));
    }

    private static Instant at(Instant epoch, double seconds) {
        return epoch.plus(Duration.ofNanos(Math.round(seconds * 1e9)));
    }

    private static double secondsOf(Instant instant) {
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }
}
