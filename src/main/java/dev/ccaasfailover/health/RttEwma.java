package dev.ccaasfailover.health;

import java.time.Duration;
import java.util.OptionalDouble;

/**
 * Exponentially weighted moving average of round-trip times, as Kamailio's dispatcher keeps per
 * destination: {@code avg = alpha * sample + (1 - alpha) * avg}; the first sample seeds it.
 * One instance per target; thread-safe.
 */
public final class RttEwma {

    private final double alpha;
    private double averageMillis;
    private boolean seeded;

    /** @param alpha weight of the newest sample, in (0, 1]; 0.3 reacts within a few probes */
    public RttEwma(double alpha) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], was " + alpha);
        }
        this.alpha = alpha;
    }

    /** Adds a sample and returns the new average in milliseconds (fractional). */
    public synchronized double update(Duration rtt) {
        double sample = rtt.toNanos() / 1_000_000.0;
        averageMillis = seeded ? alpha * sample + (1 - alpha) * averageMillis : sample;
        seeded = true;
        return averageMillis;
    }

    /** The average in milliseconds; empty before the first sample. */
    public synchronized OptionalDouble millis() {
        return seeded ? OptionalDouble.of(averageMillis) : OptionalDouble.empty();
    }

    public synchronized void reset() {
        seeded = false;
        averageMillis = 0;
    }

    public double alpha() {
        return alpha;
    }
}
