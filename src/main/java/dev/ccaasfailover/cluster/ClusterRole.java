package dev.ccaasfailover.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.config.ClusterSettings;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.HealthMonitor;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;
import org.apache.camel.cluster.CamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * This instance's place in the cluster: leader or follower of {@code failover.cluster.namespace}. The leader says
 * so in the store every renew period (route cluster-leader-announce, a {@code master:} route), so every instance's
 * GET /status can name the leader, whatever the cluster service.
 */
public class ClusterRole {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRole.class);
    static final String TABLE = "cluster";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ClusterSettings settings;
    private final CamelClusterService service;
    private final Store store;
    private final String instanceId;
    private final Clock clock;
    private final HealthMonitor monitor;
    private volatile Instant leadingSince;

    public ClusterRole(ClusterSettings settings, CamelClusterService service, Store store, String instanceId, Clock clock,
                       HealthMonitor monitor) {
        this.settings = settings;
        this.service = service;
        this.store = store;
        this.instanceId = instanceId;
        this.clock = clock;
        this.monitor = monitor;
    }

    public boolean isLeader() {
        return service.isLeader(settings.namespace());
    }

    /** Called by the leader only, every renew period: the newest announcement names the leader. */
    public void announce() {
        Instant now = clock.instant();
        if (leadingSince == null) {
            leadingSince = now;
            LOG.info("Cluster: {} leads {} ({}): health decisions, the NICE login watch and capacity polling run here",
                    instanceId, settings.namespace(), kind());
        }
        String data = Json.write(Map.of("leaderId", instanceId, "since", leadingSince.toString(), "at", now.toString()));
        try {
            store.putIfAbsent(StoreItem.of(TABLE, settings.namespace(), STAMP.format(now) + "#" + instanceId, data,
                    now.plusMillis(settings.leaseMs())));
        } catch (RuntimeException e) {
            LOG.debug("Cluster: leader announcement not written: {}", e.toString());
        }
    }

    /** The {@code cluster} field of GET /status. */
    public Map<String, Object> status() {
        boolean leader = isLeader();
        if (!leader) {
            leadingSince = null;
        }
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("role", leader ? "leader" : "follower");
        v.put("kind", kind());
        v.put("namespace", settings.namespace());
        v.put("instanceId", instanceId);
        String leaderId = leader ? instanceId : null;
        String since = leader && leadingSince != null ? leadingSince.toString() : null;
        if (!leader) {
            try {
                List<StoreItem> latest = store.query(TABLE, settings.namespace(), 1);
                if (!latest.isEmpty()) {
                    JsonNode n = Json.MAPPER.readTree(latest.get(0).data());
                    leaderId = n.path("leaderId").asText(null);
                    since = n.path("since").asText(null);
                }
            } catch (IOException | RuntimeException e) {
                v.put("leaderError", "leader announcement not read: " + e.getMessage());
            }
        }
        v.put("leaderId", leaderId); // null: no leader has announced itself within the lease
        v.put("leaderSince", since);
        v.put("leaseMs", settings.leaseMs());
        return v;
    }

    private String kind() {
        return settings.kind().name().toLowerCase(Locale.ROOT);
    }

    /** Adds this instance's role and every platform's quorum picture to a GET /status body. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> addTo(Map<String, Object> body) {
        body.put("cluster", status());
        Object platforms = body.get("platforms");
        if (platforms instanceof Map<?, ?> m) {
            for (Platform p : Platform.values()) {
                Object view = m.get(p.id());
                if (view instanceof Map<?, ?> pv) {
                    ((Map<String, Object>) pv).put("quorum", monitor.quorumStatus(p));
                }
            }
        }
        return body;
    }
}
