package dev.ccaasfailover.health;

/**
 * One probe's verdict on one layer: Up, Degraded (answered, but slower than the latency threshold), Down (no
 * answer in time, refused, or a non-alive answer), or Unknown (we could not judge: not configured, or our own
 * credentials were refused — which is no evidence of an outage and must never trigger a failover).
 */
public record Observation(HealthStatus status, Long rttMs, String reason) {

    public static Observation up(long rttMs, String reason) {
        return new Observation(HealthStatus.Up, rttMs, reason);
    }

    public static Observation degraded(long rttMs, String reason) {
        return new Observation(HealthStatus.Degraded, rttMs, reason);
    }

    public static Observation down(String reason) {
        return new Observation(HealthStatus.Down, null, reason);
    }

    public static Observation unknown(String reason) {
        return new Observation(HealthStatus.Unknown, null, reason);
    }

    /** SIP: only configured codes are alive; a timeout is Down, never alive; RTT above the threshold is Degraded. */
    public static Observation ofSip(SipProbeResult r, long latencyThresholdMs) {
        return switch (r.outcome()) {
            case ALIVE -> {
                long rtt = r.rtt().toMillis();
                yield rtt > latencyThresholdMs
                        ? degraded(rtt, "OPTIONS answered " + r.statusCode() + " in " + rtt + " ms, above " + latencyThresholdMs + " ms")
                        : up(rtt, "OPTIONS answered " + r.statusCode() + " in " + rtt + " ms");
            }
            case REJECTED -> down("OPTIONS answered " + r.detail());
            case TIMEOUT -> down("OPTIONS " + r.detail());
            case REFUSED -> down("OPTIONS refused: " + r.detail());
            case ERROR -> down("OPTIONS failed: " + r.detail());
        };
    }
}
