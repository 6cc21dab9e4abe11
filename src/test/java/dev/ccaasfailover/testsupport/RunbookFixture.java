package dev.ccaasfailover.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.HealthBoard;
import dev.ccaasfailover.health.HealthStatus;
import dev.ccaasfailover.health.Layer;
import dev.ccaasfailover.health.LayerState;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.simulator.Simulators;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The middleware wired to the Genesys and Route 53 simulators (demo organisation: one trunk base settings, the voice
 * CNAME on Genesys), with fast backoff and no lockout, on a fresh embedded store.
 */
public final class RunbookFixture implements AutoCloseable {

    static {
        // the AWS SDK's default credential chain; moto and the Route 53 simulator accept any key
        System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", MotoServer.SECRET_KEY);
    }

    public final Simulators sims;
    public final Path dataDir;

    private RunbookFixture(Simulators sims, Path dataDir) {
        this.sims = sims;
        this.dataDir = dataDir;
    }

    public static RunbookFixture create() throws IOException {
        return new RunbookFixture(Simulators.startDemo(), Files.createTempDirectory("ccaas-runbook-test"));
    }

    /** The keys that point the runbook at the simulators; {@code extra} overrides. */
    public Map<String, String> properties(Map<String, String> extra) {
        Map<String, String> p = new HashMap<>();
        p.put("failover.store.data-dir", dataDir.toString());
        p.put("failover.platform.genesys.base-url", sims.genesys().baseUrl());
        p.put("failover.platform.genesys.token-url", sims.genesys().tokenUrl());
        p.put("failover.platform.genesys.client-id", sims.genesys().clientId());
        p.put("failover.platform.genesys.client-secret", sims.genesys().clientSecret());
        p.put("failover.platform.genesys.trunk-base-settings-ids", Simulators.TRUNK_BASE_SETTINGS_ID);
        p.put("failover.dns.provider", "route53");
        p.put("failover.dns.record-name", Simulators.RECORD_NAME);
        p.put("failover.dns.target.genesys", Simulators.GENESYS_TRUNK_HOST);
        p.put("failover.dns.target.nice", Simulators.NICE_TRUNK_HOST);
        p.put("failover.dns.route53.hosted-zone-id", Simulators.HOSTED_ZONE_ID);
        p.put("failover.dns.route53.endpoint", sims.route53().baseUrl());
        p.put("failover.dns.route53.insync-poll-ms", "20");
        p.put("failover.dns.route53.insync-timeout-ms", "5000");
        p.put("failover.runbook.step-attempts", "3");
        p.put("failover.runbook.backoff-initial-ms", "50");
        p.put("failover.runbook.backoff-max-ms", "200");
        p.put("failover.runbook.lockout-ms", "0");
        p.put("failover.runbook.vendor-timeout-ms", "3000");
        p.put("camel.main.shutdownTimeout", "2");
        p.putAll(extra);
        return p;
    }

    public RunningMiddleware startApp(Map<String, String> extra) throws Exception {
        return RunningMiddleware.start(properties(extra));
    }

    public RunningMiddleware startApp() throws Exception {
        return startApp(Map.of());
    }

    // ---- helpers over a running app ----

    public static HttpResponse<String> post(RunningMiddleware app, String path, String json) throws Exception {
        return app.post(path, RunningMiddleware.ADMIN_TOKEN, json);
    }

    public static JsonNode get(RunningMiddleware app, String path) throws Exception {
        HttpResponse<String> r = app.get(path, RunningMiddleware.ADMIN_TOKEN);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    /** The runId of a 202 from POST /failover or /failback. */
    public static String runId(HttpResponse<String> accepted) throws IOException {
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return Json.MAPPER.readTree(accepted.body()).get("runId").asText();
    }

    /** A run's steps by name, in the run's order. */
    public static Map<String, JsonNode> steps(JsonNode run) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        run.path("steps").forEach(s -> m.put(s.get("name").asText(), s));
        return m;
    }

    /** Waits until the run is no longer running; returns GET /runs/{runId}. */
    public static JsonNode awaitRunEnded(RunningMiddleware app, String runId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(25)).until(() -> {
            last[0] = get(app, "/runs/" + runId);
            return !"running".equals(last[0].path("outcome").asText());
        });
        return last[0];
    }

    public static void setHealth(RunningMiddleware app, Platform platform, HealthStatus status) {
        HealthBoard board = app.context().getRegistry().lookupByNameAndType("healthBoard", HealthBoard.class);
        for (Layer layer : Layer.values()) {
            board.update(platform, layer, new LayerState(status, null, null, "set by test", java.time.Instant.now()));
        }
    }

    public long route53Changes() {
        return sims.route53().count("POST", "/2013-04-01/hostedzone/");
    }

    public long trunkPuts() {
        return sims.genesys().count("PUT", "/api/v2/telephony/providers/edges/trunkbasesettings/");
    }

    public String cname() {
        return sims.route53().record(Simulators.HOSTED_ZONE_ID, Simulators.RECORD_NAME, "CNAME").orElseThrow().values().get(0);
    }

    public boolean trunkEnabled() {
        return sims.genesys().trunkEnabled(Simulators.TRUNK_BASE_SETTINGS_ID);
    }

    @Override
    public void close() {
        sims.close();
    }
}
