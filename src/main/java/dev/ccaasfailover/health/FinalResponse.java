package dev.ccaasfailover.health;

import java.time.Duration;

/** The final (non-1xx) response that matched a probe, and when it came. */
record FinalResponse(int status, String reason, Duration rtt) {
}
