package dev.ccaasfailover.routing;

import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.agents.QueueMap;
import dev.ccaasfailover.config.FailoverConfig.CapacitySettings;
import dev.ccaasfailover.config.FailoverConfig.Utilization;
import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.http.PathParameter;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Capacity-based routing (the guide's edge case 3): before a call is routed to an agent on NICE, the IVR asks
 * whether the queue's skill still has room. Utilization is computed from NICE's skills/activity (polled every
 * {@code capacity.poll-ms}) by the configured formula; above {@code capacity.threshold} the answer is callback.
 *
 * <p>Without figures (none read yet, or the skill absent from NICE's answer) the answer is {@code agent}, marked
 * stale: missing data must not turn every caller away. Figures older than three polls are marked stale too.
 */
public class CapacityRouter {

    private static final Logger LOG = LoggerFactory.getLogger(CapacityRouter.class);

    private final CapacitySettings settings;
    private final QueueMap queues;
    private final Clock clock;
    private volatile Map<String, SkillActivity> bySkill = Map.of();
    private volatile Instant asOf;

    public CapacityRouter(CapacitySettings settings, QueueMap queues, Clock clock) {
        this(settings, queues, clock, null);
    }

    /** @param shared where the leader's figures are shared with the followers (null: this instance only) */
    public CapacityRouter(CapacitySettings settings, QueueMap queues, Clock clock, Store shared) {
        this.settings = settings;
        this.queues = queues;
        this.clock = clock;
        this.shared = shared;
    }

    static final String TABLE = "capacity";
    private static final String KEY = "skill-activity";
    private final Store shared;

    /** Takes a fresh {@code GET /skills/activity} answer (read by the cluster leader) and shares its figures. */
    public void update(JsonNode skillActivity) {
        Map<String, SkillActivity> m = new HashMap<>();
        for (JsonNode item : skillActivity.path("skillActivity")) {
            SkillActivity a = SkillActivity.of(item);
            m.put(a.skillId(), a);
        }
        bySkill = Map.copyOf(m);
        Instant now = clock.instant();
        asOf = now;
        LOG.debug("Skill activity: {} skills", m.size());
        if (shared != null) {
            try {
                String data = Json.write(Map.of("asOf", now.toString(), "skills", m.values()));
                shared.putIfAbsent(StoreItem.of(TABLE, KEY, String.format("%019d", now.toEpochMilli()), data,
                        now.plusMillis(3 * settings.pollMs())));
            } catch (RuntimeException e) {
                LOG.warn("Skill activity not shared with the other instances: {}", e.toString());
            }
        }
    }

    /**
     * Every instance: takes the newest figures the leader shared, when newer than this instance's own, so a
     * follower answers routing decisions with the leader's poll.
     */
    public void refresh() {
        if (shared == null) {
            return;
        }
        java.util.List<StoreItem> latest = shared.query(TABLE, KEY, 1);
        if (latest.isEmpty()) {
            return;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(latest.get(0).data());
            Instant when = Instant.parse(n.path("asOf").asText());
            Instant mine = asOf;
            if (mine != null && !when.isAfter(mine)) {
                return;
            }
            Map<String, SkillActivity> m = new HashMap<>();
            for (JsonNode item : n.path("skills")) {
                SkillActivity a = SkillActivity.of(item);
                m.put(a.skillId(), a);
            }
            bySkill = Map.copyOf(m);
            asOf = when;
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("Shared skill activity not readable: {}", e.toString());
        }
    }

    public static double utilization(Utilization formula, SkillActivity a) {
        if (a.agentsLoggedIn() <= 0) {
            return 1.0; // nobody to take the call
        }
        double busy = a.agentsWorking() + a.agentsACW() + (formula == Utilization.QUEUE_PRESSURE ? a.queueCount() : 0);
        return busy / a.agentsLoggedIn();
    }

    /**
     * GET /routing/queues/{queueId}/decision: {@code queueId} is a Genesys queue id mapped in mappings/queues.yaml,
     * or a NICE skill id.
     */
    public Map<String, Object> decision(@Header("queueId") String queueId) {
        PathParameter.id("queueId", queueId);
        String skillId = queues.target(true, queueId).map(QueueMap.Target::id)
                .orElseGet(() -> bySkill.containsKey(queueId) || queues.sources(false).contains(queueId) ? queueId : null);
        if (skillId == null) {
            throw new ApiException(404, "queueId: " + queueId + " is neither a Genesys queue in mappings/queues.yaml nor a known NICE skill",
                    "queueId");
        }
        SkillActivity a = bySkill.get(skillId);
        Instant when = asOf;
        boolean stale = a == null || when == null
                || Duration.between(when, clock.instant()).toMillis() > 3 * settings.pollMs();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("queueId", queueId);
        body.put("skillId", skillId);
        if (a == null) {
            body.put("target", "agent");
            body.put("utilization", null);
            body.put("reason", when == null ? "no skill activity read from NICE yet" : "skill " + skillId + " not in NICE's skill activity");
        } else {
            double u = utilization(settings.utilization(), a);
            body.put("target", u > settings.threshold() ? "callback" : "agent");
            body.put("utilization", Math.round(u * 1000) / 1000.0);
            body.put("agentsLoggedIn", a.agentsLoggedIn());
            body.put("agentsWorking", a.agentsWorking());
            body.put("agentsACW", a.agentsACW());
            body.put("agentsAvailable", a.agentsAvailable());
            body.put("queueCount", a.queueCount());
        }
        body.put("threshold", settings.threshold());
        body.put("formula", settings.utilization().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        body.put("callbackQueueId", settings.callbackQueueId());
        body.put("asOf", when == null ? null : when.toString());
        body.put("stale", stale);
        return body;
    }
}
