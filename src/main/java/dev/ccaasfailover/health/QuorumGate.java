package dev.ccaasfailover.health;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Multi-observer quorum: every instance writes what it sees of each platform to the shared store; a Down counts
 * for failover only when {@code quorum} distinct observers' latest observations within the window say Down. One
 * observer cannot then mistake its own network trouble for an outage (Route 53 asks more than 18 % of its
 * checkers; an orchestrator asks its replicas).
 */
public class QuorumGate {

    static final String TABLE = "observations";
    private static final java.time.format.DateTimeFormatter STAMP =
            java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
    private static final int RECENT = 200;

    private final Store store;
    private final String instanceId;
    private final int quorum;
    private final long windowMs;
    private final Clock clock;

    public QuorumGate(Store store, String instanceId, int quorum, long windowMs, Clock clock) {
        this.store = store;
        this.instanceId = instanceId;
        this.quorum = quorum;
        this.windowMs = windowMs;
        this.clock = clock;
    }

    public int quorum() {
        return quorum;
    }

    /** How many observers' latest observation in the window is Down, of how many observers seen in it. */
    public record Tally(int down, int observers) { }

    /** Writes this observer's view of a platform; throws when the store refuses it (the caller retries). */
    public void record(Platform platform, HealthStatus status) {
        Instant now = clock.instant();
        String data = Json.write(Map.of("instanceId", instanceId, "status", status.name(), "at", now.toString()));
        // Fixed-width stamps, so the store's newest-first order of sort keys is the order in time.
        store.putIfAbsent(StoreItem.of(TABLE, platform.id(), STAMP.format(now) + "#" + instanceId, data,
                now.plusMillis(windowMs * 2)));
    }

    /** How many distinct observers' latest observation within the window is Down. */
    public int downVotes(Platform platform) {
        return tally(platform).down();
    }

    /**
     * Every observer's latest observation within the window, by the observers' own clocks: a clock a few seconds
     * off only moves its observations a few seconds within a window of a minute. Throws when the store cannot be read.
     */
    public Tally tally(Platform platform) {
        Instant since = clock.instant().minusMillis(windowMs);
        Map<String, String> latestByObserver = new HashMap<>();
        for (StoreItem item : store.query(TABLE, platform.id(), RECENT)) {
            try {
                JsonNode n = Json.MAPPER.readTree(item.data());
                if (Instant.parse(n.get("at").asText()).isBefore(since)) {
                    continue; // too old; another observer's skewed clock may still place a newer one below
                }
                latestByObserver.putIfAbsent(n.get("instanceId").asText(), n.get("status").asText());
            } catch (IOException | RuntimeException e) {
                // An unreadable observation is no vote.
            }
        }
        int down = (int) latestByObserver.values().stream().filter(HealthStatus.Down.name()::equals).count();
        return new Tally(down, latestByObserver.size());
    }

    public boolean agreesDown(Platform platform) {
        return downVotes(platform) >= quorum;
    }
}
