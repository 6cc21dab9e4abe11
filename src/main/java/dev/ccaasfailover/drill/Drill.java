package dev.ccaasfailover.drill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.Application;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.HealthBoard;
import dev.ccaasfailover.health.HealthMonitor;
import dev.ccaasfailover.health.HealthStatus;
import dev.ccaasfailover.health.Layer;
import dev.ccaasfailover.health.PlatformEvent;
import dev.ccaasfailover.health.ProbeReport;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.simulator.Simulators;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar ccaas-failover.jar --drill}: starts the simulators and the middleware wired to them on loopback
 * (store: a fresh embedded file in a temp folder), then plays the guide's trap — the primary's SIP trunk goes silent
 * while its API still answers 200 — and prints what the product does, step by step. Exits 0 when the product did
 * what it should, 1 otherwise.
 */
public class Drill {

    /** Drill timing: short enough to watch, the same rules as production (3 Downs, fast confirmation). */
    static final Map<String, String> TIMING = Map.of(
            "failover.health.interval-ms", "3000",
            "failover.health.timeout-ms", "1000",
            "failover.health.confirm-interval-ms", "250",
            "failover.health.down-threshold", "3",
            "failover.health.up-threshold", "3");

    private final PrintStream out;

    public Drill(PrintStream out) {
        this.out = out;
    }

    public int run() {
        Timeline t = new Timeline(out);
        Path dir;
        try {
            dir = Files.createTempDirectory("ccaas-failover-drill");
        } catch (IOException e) {
            out.println("drill: cannot create a temp folder: " + e.getMessage());
            return 1;
        }
        DrillLog.redirectTo(dir.resolve("middleware.log"));
        t.plain("ccaas-failover drill: the guide's trap, played on loopback with nothing external.");
        t.plain("Genesys Cloud CX is primary, NICE CXone secondary. The middleware's own log: " + dir.resolve("middleware.log"));
        try (Simulators sims = Simulators.startDemo()) {
            return play(t, sims, dir);
        } catch (Exception e) {
            t.line("DRILL FAILED: %s", e);
            return 1;
        }
    }

    private int play(Timeline t, Simulators sims, Path dir) throws Exception {
        t.section("Start");
        t.line("simulators up: Genesys API %s, NICE API %s, Route 53 %s", sims.genesys().baseUrl(), sims.nice().baseUrl(),
                sims.route53().baseUrl());
        t.line("SIP trunks (UAS answering OPTIONS): genesys %s, nice %s", sims.genesysTrunk().uri(), sims.niceTrunk().uri());

        int port = freePort();
        String adminToken = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Map<String, String> props = new LinkedHashMap<>(sims.middlewareProperties());
        props.putAll(TIMING);
        props.put("failover.dns.provider", "none"); // the runbook (issue 4) is not built yet
        props.put("failover.store.data-dir", dir.resolve("data").toString());
        props.put("failover.security.token.admin", adminToken);
        props.put("camel.server.host", "127.0.0.1");
        props.put("camel.server.port", String.valueOf(port));
        props.put("camel.management.host", "127.0.0.1");
        props.put("camel.management.port", String.valueOf(port));

        Main main = Application.newMain(props);
        main.start();
        try {
            CamelContext camel = main.getCamelContext();
            HealthMonitor monitor = camel.getRegistry().lookupByNameAndType("healthMonitor", HealthMonitor.class);
            HealthBoard board = camel.getRegistry().lookupByNameAndType("healthBoard", HealthBoard.class);
            CompletableFuture<PlatformEvent> primaryDown = new CompletableFuture<>();
            monitor.addListener(r -> {
                printProbe(t, r);
                if (r.platformEvent() != null && r.platformEvent().kind() == PlatformEvent.Kind.DOWN
                        && r.platform() == Platform.GENESYS) {
                    primaryDown.complete(r.platformEvent());
                }
            });
            t.line("middleware up on http://127.0.0.1:%d: health every %s ms, timeout %s ms, confirm every %s ms, %s Downs to fail over",
                    port, TIMING.get("failover.health.interval-ms"), TIMING.get("failover.health.timeout-ms"),
                    TIMING.get("failover.health.confirm-interval-ms"), TIMING.get("failover.health.down-threshold"));
            t.line("store: embedded SQLite in %s", dir.resolve("data"));

            waitUntil(() -> allUp(board), Duration.ofSeconds(15), "both platforms Up on both layers");
            t.line("both platforms Up on both layers");
            t.line("context: [not built yet: issue 5] the Genesys IVR would publish IVRState heartbeats (BillingMenu) here");

            t.section("Outage");
            Thread.sleep(1000);
            sims.genesysTrunk().silent();
            double outageAt = t.seconds();
            t.line("OUTAGE: the Genesys SIP trunk goes silent; its API still answers 200 (the guide's trap)");

            PlatformEvent down = primaryDown.get(30, TimeUnit.SECONDS);
            t.line("DECISION: genesys Down %.1f s after the trunk went silent (%s)", t.seconds() - outageAt, down.reason());
            t.line("failover trigger sent to direct:platform-down");

            JsonNode status = status(port, adminToken);
            t.line("GET /status: state %s, active %s; genesys %s (api %s, sip %s), nice %s",
                    status.path("state").asText(), status.path("activePlatform").asText(),
                    status.at("/platforms/genesys/status").asText(), status.at("/platforms/genesys/layers/api/status").asText(),
                    status.at("/platforms/genesys/layers/sip/status").asText(), status.at("/platforms/nice/status").asText());

            t.section("Runbook, context, agents");
            t.line("runbook: [not built yet: issue 4] DNS cutover (Route 53 CNAME -> %s, TTL 60), Genesys trunk off, notify", Simulators.NICE_TRUNK_HOST);
            Map<?, ?> agents = camel.createProducerTemplate().requestBodyAndHeaders("direct:sync-agents", null,
                    Map.of("direction", "failover", "runId", "drill", "dryRun", false), Map.class);
            t.line("agents: direct:sync-agents %s: %s", agents.get("outcome"), agents.get("detail"));
            t.line("context: [not built yet: issue 5] NICE's IVR fetches the caller's context (last IVR step BillingMenu)");
            t.line("failback: [not built yet: issue 4]");

            t.section("Result");
            boolean ok = board.platformStatus(Platform.GENESYS) == HealthStatus.Down
                    && board.layer(Platform.GENESYS, Layer.API).status() == HealthStatus.Up
                    && board.platformStatus(Platform.NICE) == HealthStatus.Up;
            t.line(ok ? "drill passed: the dead trunk behind a healthy API was detected and the failover triggered"
                    : "drill FAILED: the health picture is not what the outage should produce");
            return ok ? 0 : 1;
        } finally {
            main.stop();
        }
    }

    private static void printProbe(Timeline t, ProbeReport r) {
        String extra = "";
        if (r.confirming()) {
            extra = "  [" + r.consecutiveDowns() + " of " + TIMING.get("failover.health.down-threshold") + " Down, confirming]";
        }
        if (r.change() != null) {
            extra += "  " + r.platform() + " " + r.layer().id() + " " + r.change().from() + " -> " + r.change().to();
        }
        t.line("probe %-7s %-3s %-8s %s%s", r.platform(), r.layer().id(), r.observation().status(), r.observation().reason(), extra);
    }

    private static boolean allUp(HealthBoard board) {
        for (Platform p : Platform.values()) {
            for (Layer l : Layer.values()) {
                if (board.layer(p, l).status() != HealthStatus.Up) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, Duration max, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + max.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static JsonNode status(int port, String token) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/status"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
