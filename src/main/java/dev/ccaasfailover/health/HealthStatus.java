package dev.ccaasfailover.health;

/** Status of a layer or a platform, as the contract spells it. */
public enum HealthStatus {
    Up, Degraded, Down, Unknown
}
