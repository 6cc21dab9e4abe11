package dev.ccaasfailover.health;

import java.time.Instant;

/**
 * What is currently known of one layer of one platform.
 *
 * @param rttMs     round trip of the last answered probe, or null
 * @param rttEwmaMs smoothed round trip, or null
 * @param reason    why the layer has this status, in words (shown in /status and in the state-change log line)
 */
public record LayerState(HealthStatus status, Long rttMs, Double rttEwmaMs, String reason, Instant since) {

    public static LayerState unknown(String reason, Instant since) {
        return new LayerState(HealthStatus.Unknown, null, null, reason, since);
    }
}
