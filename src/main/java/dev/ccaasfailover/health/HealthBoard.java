package dev.ccaasfailover.health;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.config.PlatformSettings;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The current health of every platform and layer: written by the health checks, read by /status and the runbook.
 * A platform is Down when either layer is Down, Degraded when either is Degraded, Unknown when neither layer has
 * been seen, Up otherwise (docs/architecture.md).
 */
public class HealthBoard {

    private final Map<Platform, Map<Layer, LayerState>> states = new EnumMap<>(Platform.class);

    public HealthBoard(FailoverConfig config, Clock clock) {
        for (Platform p : Platform.values()) {
            Map<Layer, LayerState> layers = new ConcurrentHashMap<>();
            PlatformSettings settings = config.platform(p);
            layers.put(Layer.API, LayerState.unknown(settings.apiConfigured()
                    ? "not probed yet" : "not configured (failover.platform." + p.id() + ".api-health-url)", clock.instant()));
            layers.put(Layer.SIP, LayerState.unknown(settings.sipConfigured()
                    ? "not probed yet" : "not configured (failover.platform." + p.id() + ".sip-uri)", clock.instant()));
            states.put(p, layers);
        }
    }

    public void update(Platform platform, Layer layer, LayerState state) {
        states.get(platform).put(layer, state);
    }

    public LayerState layer(Platform platform, Layer layer) {
        return states.get(platform).get(layer);
    }

    public HealthStatus platformStatus(Platform platform) {
        HealthStatus api = layer(platform, Layer.API).status();
        HealthStatus sip = layer(platform, Layer.SIP).status();
        if (api == HealthStatus.Down || sip == HealthStatus.Down) {
            return HealthStatus.Down;
        }
        if (api == HealthStatus.Degraded || sip == HealthStatus.Degraded) {
            return HealthStatus.Degraded;
        }
        if (api == HealthStatus.Unknown && sip == HealthStatus.Unknown) {
            return HealthStatus.Unknown;
        }
        return HealthStatus.Up;
    }
}
