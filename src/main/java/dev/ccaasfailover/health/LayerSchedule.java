package dev.ccaasfailover.health;

import dev.ccaasfailover.config.FailoverConfig.HealthSettings;

import java.time.Instant;

/**
 * When one layer is probed, and which results count. Normally one probe at a time, the layer's interval after the
 * last answer ({@code sip-interval-ms} for SIP, {@code interval-ms} for the API, whose cadence the vendors' API rate
 * budget bounds). After a first Down, a new probe every {@code confirm-interval-ms} whether or not the earlier ones have
 * timed out yet, until the Down is confirmed or cleared: a hard outage is then confirmed about one time-out plus
 * (threshold - 1) confirm intervals after the first failed probe, instead of (threshold - 1) intervals later.
 *
 * <p>Results are applied in the order the probes were sent: a result older than one already applied is stale
 * (its probe was overtaken) and ignored, so a late time-out can never undo a newer answer. Pure logic on given
 * instants, so the same schedule runs in the service and on the benchmark's virtual clock. Not thread-safe.
 */
public final class LayerSchedule {

    private static final Instant NOT_BEFORE_AN_ANSWER = Instant.MAX;

    private final HealthSettings settings;
    private final long intervalMs;
    private final LayerTracker tracker;
    private final int maxInFlight;
    private Instant nextDue;
    private int inFlight;
    private Instant lastAppliedSentAt = Instant.MIN;

    public LayerSchedule(HealthSettings settings, Layer layer, Instant firstDue) {
        this.settings = settings;
        this.intervalMs = layer == Layer.SIP ? settings.sipIntervalMs() : settings.intervalMs();
        this.tracker = new LayerTracker(settings.downThreshold(), settings.upThreshold());
        this.maxInFlight = settings.downThreshold() + 1;
        this.nextDue = firstDue;
    }

    public LayerTracker tracker() {
        return tracker;
    }

    public boolean due(Instant now) {
        return inFlight < maxInFlight && !now.isBefore(nextDue);
    }

    /** A probe was sent at {@code now}. */
    public void launched(Instant now) {
        inFlight++;
        nextDue = tracker.confirming() ? now.plusMillis(settings.confirmIntervalMs()) : NOT_BEFORE_AN_ANSWER;
    }

    /** What a finished probe did: nothing when stale, else possibly a status change (null when none). */
    public record Applied(boolean stale, LayerTracker.Change change) { }

    /** The probe sent at {@code sentAt} finished at {@code now} with {@code o}. */
    public Applied completed(Instant sentAt, Instant now, Observation o) {
        inFlight--;
        if (sentAt.isBefore(lastAppliedSentAt)) {
            return new Applied(true, null);
        }
        lastAppliedSentAt = sentAt;
        LayerTracker.Change change = tracker.observe(o);
        if (tracker.confirming()) {
            if (nextDue == NOT_BEFORE_AN_ANSWER) {
                nextDue = now.plusMillis(settings.confirmIntervalMs());
            }
        } else {
            nextDue = now.plusMillis(intervalMs);
        }
        return new Applied(false, change);
    }

    public long intervalMs() {
        return intervalMs;
    }

    public Instant nextDue() {
        return nextDue;
    }
}
