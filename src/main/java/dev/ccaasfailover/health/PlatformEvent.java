package dev.ccaasfailover.health;

import dev.ccaasfailover.config.Platform;

import java.time.Instant;

/** A platform-level decision of the health checks, handed to the runbook (direct:platform-down / -recovered). */
public record PlatformEvent(Kind kind, Platform platform, String reason, Instant at) {

    public enum Kind { DOWN, RECOVERED }

    public String platformId() {
        return platform.id();
    }
}
