package dev.ccaasfailover.health;

/**
 * Hysteresis for one layer of one platform: {@code downThreshold} consecutive Down observations to mark it Down,
 * {@code upThreshold} consecutive Up/Degraded ones to mark a Down layer recovered. Anything short of that keeps the
 * last status, so a lost probe here and there (noise) never moves it. Not thread-safe: one owner.
 */
public final class LayerTracker {

    /** A change of the layer's reported status, with the observation that caused it. */
    public record Change(HealthStatus from, HealthStatus to, Observation cause, int consecutive) { }

    private final int downThreshold;
    private final int upThreshold;
    private HealthStatus status = HealthStatus.Unknown;
    private int consecutiveDowns;
    private int consecutiveUps;

    public LayerTracker(int downThreshold, int upThreshold) {
        if (downThreshold < 1 || upThreshold < 1) {
            throw new IllegalArgumentException("thresholds must be at least 1");
        }
        this.downThreshold = downThreshold;
        this.upThreshold = upThreshold;
    }

    /** Feeds one observation; returns the status change it caused, or null. */
    public Change observe(Observation o) {
        HealthStatus before = status;
        switch (o.status()) {
            case Down -> {
                consecutiveUps = 0;
                consecutiveDowns++;
                if (status != HealthStatus.Down && consecutiveDowns >= downThreshold) {
                    status = HealthStatus.Down;
                }
            }
            case Up, Degraded -> {
                consecutiveDowns = 0;
                if (status == HealthStatus.Down) {
                    consecutiveUps++;
                    if (consecutiveUps >= upThreshold) {
                        status = o.status();
                        consecutiveUps = 0;
                    }
                } else {
                    status = o.status();
                }
            }
            case Unknown -> {
                // We could not judge (our credentials, not configured): forget the streaks, keep no verdict.
                consecutiveDowns = 0;
                consecutiveUps = 0;
                status = HealthStatus.Unknown;
            }
        }
        if (status == before) {
            return null;
        }
        return new Change(before, status, o, o.status() == HealthStatus.Down ? consecutiveDowns : upThreshold);
    }

    public HealthStatus status() {
        return status;
    }

    /** A Down has been seen but not yet confirmed: the layer is probed again quickly. */
    public boolean confirming() {
        return consecutiveDowns > 0 && status != HealthStatus.Down;
    }

    public int consecutiveDowns() {
        return consecutiveDowns;
    }

    public int consecutiveUps() {
        return consecutiveUps;
    }
}
