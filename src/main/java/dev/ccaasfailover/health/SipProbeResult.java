package dev.ccaasfailover.health;

import java.time.Duration;

/**
 * What one OPTIONS probe found.
 *
 * @param outcome    the classification
 * @param statusCode the final status received; null when no final response arrived
 * @param rtt        first send to final response; null when no final response arrived
 * @param detail     a human-readable explanation for logs and {@code /status}
 */
public record SipProbeResult(Outcome outcome, Integer statusCode, Duration rtt, String detail) {

    public enum Outcome {
        /** A final response whose status is one of the configured alive codes. */
        ALIVE,
        /** A final response, but not an alive code (e.g. 503, 486, 404 by default). */
        REJECTED,
        /** No final response within the time-out (never alive: no 408 is made up). */
        TIMEOUT,
        /** ICMP port unreachable (UDP) or connection refused (TCP/TLS): nothing listens. */
        REFUSED,
        /** Anything else: unknown host, TLS failure, connection closed, I/O error. */
        ERROR
    }

    public SipProbeResult {
        if (outcome == null) {
            throw new IllegalArgumentException("outcome is required");
        }
    }

    public boolean isAlive() {
        return outcome == Outcome.ALIVE;
    }

    static SipProbeResult response(boolean alive, int status, String reason, Duration rtt) {
        return new SipProbeResult(alive ? Outcome.ALIVE : Outcome.REJECTED, status, rtt,
                status + " " + reason + " in " + rtt.toMillis() + " ms");
    }

    static SipProbeResult noResponse(Outcome outcome, String detail) {
        return new SipProbeResult(outcome, null, null, detail);
    }
}
