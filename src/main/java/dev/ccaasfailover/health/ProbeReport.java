package dev.ccaasfailover.health;

import dev.ccaasfailover.config.Platform;

import java.time.Instant;

/**
 * Everything one probe led to, for listeners (the drill's timeline, tests).
 *
 * @param change        the layer's status change, or null
 * @param platformEvent the platform-level decision it caused, or null
 */
public record ProbeReport(Instant at, Platform platform, Layer layer, Observation observation, HealthStatus layerStatus,
                          int consecutiveDowns, boolean confirming, LayerTracker.Change change, PlatformEvent platformEvent) { }
