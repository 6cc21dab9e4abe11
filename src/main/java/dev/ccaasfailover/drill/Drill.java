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
import dev.ccaasfailover.simulator.Route53RecordSet;
import dev.ccaasfailover.simulator.Simulators;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code java -jar ccaas-failover.jar --drill}: starts the simulators and the middleware wired to them on loopback
 * (store: a fresh embedded file in a temp folder), then plays the guide's story: a caller is in the Genesys IVR's
 * BillingMenu when the primary's SIP trunk goes silent while its API still answers 200 (the guide's trap); the
 * middleware confirms the outage, runs the failover runbook, serves the caller's context to NICE when they redial,
 * and fails back once Genesys is healthy again. Prints a timeline; exits 0 when every check held, 1 otherwise.
 * <p>Size: the drill is a script (start simulators, fail the primary, show each step); split, it would no longer
 * read top to bottom.
 */
public class Drill {

    /** Drill timing: short enough to watch, the same rules as production (3 Downs, fast confirmation). */
    static final Map<String, String> TIMING = Map.of(
            "failover.health.interval-ms", "3000",
            "failover.health.sip-interval-ms", "3000",
            "failover.health.timeout-ms", "1000",
            "failover.health.confirm-interval-ms", "250",
            "failover.health.down-threshold", "3",
            "failover.health.up-threshold", "3",
            "failover.dns.route53.insync-poll-ms", "100",
            "failover.capacity.poll-ms", "500",
            "failover.agents.login-poll-ms", "500",
            "failover.capacity.callback-queue-id", "7000");

    static final String CALLER = "+13175550142";
    static final String CALLER_AS_GENESYS_SENDS_IT = "tel:+1 317-555-0142";

    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();

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
        t.plain("ccaas-failover drill: the guide's story, played on loopback with nothing external.");
        t.plain("Genesys Cloud CX is primary, NICE CXone secondary. The middleware's own log: " + dir.resolve("middleware.log"));
        // The drill's Route 53 is the simulator, which checks that requests are signed but not by whom.
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "drill"));
        System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "drill"));
        try (Simulators sims = Simulators.startDemo()) {
            play(t, sims, dir);
        } catch (Exception e) {
            failures.add(e.toString());
        }
        t.section("Result");
        if (failures.isEmpty()) {
            t.line("drill passed: outage detected behind a healthy API, failover done, agents carried across (states applied as"
                    + " they logged in to NICE), context served"
                    + " to NICE, capacity routing to callback, carrier trunk fixed, swapped and restored, failback done");
            return 0;
        }
        failures.forEach(f -> t.line("DRILL FAILED: %s", f));
        return 1;
    }

    /** The mapping files the drill's simulators are seeded for, as the jar carries them under drill/mappings. */
    static final List<String> MAPPING_FILES = List.of("agents.yaml", "events.yaml", "presence.yaml", "queues.yaml");

    /** Copies the drill's mapping set out of the jar into {@code target} (the middleware reads a folder). */
    static Path drillMappings(Path target) throws IOException {
        Files.createDirectories(target);
        for (String file : MAPPING_FILES) {
            try (java.io.InputStream in = Drill.class.getClassLoader().getResourceAsStream("drill/mappings/" + file)) {
                if (in == null) {
                    throw new IOException("classpath:drill/mappings/" + file + " is missing from the jar; rebuild it");
                }
                Files.copy(in, target.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    private void play(Timeline t, Simulators sims, Path dir) throws Exception {
        t.section("Start");
        t.line("simulators up: Genesys API %s, NICE API %s, Route 53 %s", sims.genesys().baseUrl(), sims.nice().baseUrl(),
                sims.route53().baseUrl());
        t.line("SIP trunks (UAS answering OPTIONS): genesys %s, nice %s", sims.genesysTrunk().uri(), sims.niceTrunk().uri());
        t.line("DNS: %s", cname(sims));

        int port = freePort();
        SecureRandom random = new SecureRandom();
        String admin = roleToken("FAILOVER_TOKEN_ADMIN", random);
        String ingest = roleToken("FAILOVER_TOKEN_INGEST", random);
        String context = roleToken("FAILOVER_TOKEN_CONTEXT", random);
        Map<String, String> props = new LinkedHashMap<>(sims.middlewareProperties());
        props.putAll(sims.carrierProperties());
        props.putAll(TIMING);
        props.put("failover.store.data-dir", dir.resolve("data").toString());
        // the drill's own mapping set (the simulators' demo ids), never the working directory's nor the jar's fallback
        props.put("failover.mappings.dir", drillMappings(dir.resolve("mappings")).toString());
        props.put("failover.security.token.admin", admin);
        props.put("failover.security.token.ingest", ingest);
        props.put("failover.security.token.context", context);
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
            DrillClient api = new DrillClient(port);
            CompletableFuture<PlatformEvent> primaryDown = new CompletableFuture<>();
            CompletableFuture<PlatformEvent> primaryRecovered = new CompletableFuture<>();
            monitor.addListener(r -> {
                printProbe(t, r);
                PlatformEvent e = r.platformEvent();
                if (e != null && e.platform() == Platform.GENESYS) {
                    (e.kind() == PlatformEvent.Kind.DOWN ? primaryDown : primaryRecovered).complete(e);
                }
            });
            t.line("middleware up on http://127.0.0.1:%d: health every %s ms, timeout %s ms, confirm every %s ms, %s Downs to fail over",
                    port, TIMING.get("failover.health.interval-ms"), TIMING.get("failover.health.timeout-ms"),
                    TIMING.get("failover.health.confirm-interval-ms"), TIMING.get("failover.health.down-threshold"));
            t.line("store: embedded SQLite in %s", dir.resolve("data"));
            waitUntil(() -> allUp(board), Duration.ofSeconds(15), "both platforms Up on both layers");
            t.line("both platforms Up on both layers");

            t.section("The carrier's failover trunk");
            waitUntil(() -> status(api, admin).at("/carrier/checked").asBoolean(), Duration.ofSeconds(15), "the first carrier check");
            JsonNode carrier = status(api, admin).path("carrier");
            t.line("GET /status carrier: trunk %s inShape %s", carrier.path("trunkSid").asText(), carrier.path("inShape").asText());
            carrier.path("drift").forEach(d -> t.line("  drift: %s", d.asText()));
            check(!carrier.path("inShape").asBoolean(), "the check finds the trunk without a secondary URL");
            JsonNode carrierPlan = api.post("/carrier/apply", admin, Map.of("dryRun", true));
            carrierPlan.path("writes").forEach(w -> t.line("  POST /carrier/apply {\"dryRun\":true}: would %s", w));
            api.post("/carrier/apply", admin, Map.of("dryRun", false));
            t.line("POST /carrier/apply {\"dryRun\":false}: trunk now %s", trunkOrder(sims));
            check(trunkOrder(sims).equals(List.of(Simulators.GENESYS_ORIGINATION_URL + " @10", Simulators.NICE_ORIGINATION_URL + " @20")),
                    "the carrier trunk has Genesys at 10 and NICE at 20");

            t.section("A caller in the Genesys IVR");
            String callId = "c0ffee00-1111-2222-3333-444455556666";
            Instant now = Instant.now();
            api.post("/events", ingest, List.of(
                    Map.of("eventType", "CallStarted", "conversationId", callId, "ani", CALLER_AS_GENESYS_SENDS_IT,
                            "intent", "billing", "timestamp", now.minusSeconds(25).toString()),
                    Map.of("eventType", "IVRState", "conversationId", callId, "ani", CALLER_AS_GENESYS_SENDS_IT,
                            "currentStep", "MainMenu", "timestamp", now.minusSeconds(20).toString()),
                    Map.of("eventType", "IVRState", "conversationId", callId, "ani", CALLER_AS_GENESYS_SENDS_IT,
                            "currentStep", "BillingMenu", "timestamp", now.minusSeconds(10).toString())));
            t.line("POST /events (Genesys Architect data action): call %s from ***0142 started, intent billing", shortId(callId));
            t.line("POST /events: IVRState heartbeats MainMenu, then BillingMenu (every 10 s while in the IVR)");

            t.section("Outage");
            Thread.sleep(1000);
            sims.genesysTrunk().silent();
            double outageAt = t.seconds();
            t.line("OUTAGE: the Genesys SIP trunk goes silent; its API still answers 200 (the guide's trap); the call drops");

            PlatformEvent down = primaryDown.get(30, TimeUnit.SECONDS);
            t.line("DECISION: genesys Down %.1f s after the trunk went silent (%s)", t.seconds() - outageAt, down.reason());
            t.line("failover trigger -> direct:platform-down -> runbook");

            t.section("Failover runbook");
            JsonNode failover = awaitRun(api, admin, "failover");
            printRun(t, failover);
            check(failover.path("outcome").asText().equals("done"), "failover run outcome " + failover.path("outcome").asText());
            t.line("DNS now: %s", cname(sims));
            check(cname(sims).contains(Simulators.NICE_TRUNK_HOST), "CNAME points to NICE");
            for (Simulators.DemoAgent a : Simulators.demoAgents()) {
                String genesysPresence = genesysPresence(sims, a);
                t.line("  agent %-24s Genesys %-10s -> NICE %s, skills %s", a.email(), genesysPresence, niceState(sims, a),
                        sims.nice().agentSkills(a.niceAgentId()).stream().map(s -> s.skillId()).toList());
                check(!sims.nice().agentSkills(a.niceAgentId()).isEmpty() || genesysPresence.equalsIgnoreCase("Offline"),
                        "every mapped agent has its NICE skills at once");
            }
            t.line("carrier trunk now %s (the swap: new calls straight to NICE)", trunkOrder(sims));
            check(trunkOrder(sims).get(0).startsWith(Simulators.NICE_ORIGINATION_URL), "the carrier trunk prefers NICE after the failover");
            boolean trunkOn = sims.genesys().trunkEnabled(Simulators.TRUNK_BASE_SETTINGS_ID);
            t.line("Genesys trunk base settings %s: trunk_enabled=%s", Simulators.TRUNK_BASE_SETTINGS_ID, trunkOn);
            check(!trunkOn, "Genesys trunk switched off");
            JsonNode status = api.get("/status", admin);
            t.line("GET /status: state %s, active %s", status.path("state").asText(), status.path("activePlatform").asText());
            check(status.path("state").asText().equals("FAILED_OVER"), "state FAILED_OVER");
            int waiting = status.path("agentsPendingLogin").asInt(-1);
            t.line("GET /status: agentsPendingLogin %d, agentsApplied %d, watchUntil %s (NICE sets state only for a logged-in"
                    + " agent: theirs waits for their SSO login)", waiting, status.path("agentsApplied").asInt(), status.path("watchUntil").asText());
            check(waiting == 5, "5 LoggedOut NICE agents wait for their login (erin, Offline on Genesys, is left alone), got " + waiting);

            t.section("Agents log in to NICE");
            for (Simulators.DemoAgent a : Simulators.demoAgents()) {
                if (!genesysPresence(sims, a).equalsIgnoreCase("Offline")) {
                    sims.nice().login(a.niceAgentId());
                    t.line("agent %-24s logs in to NICE (SSO): %s", a.email(), niceState(sims, a));
                }
            }
            waitUntil(() -> status(api, admin).path("agentsApplied").asInt() >= 5, Duration.ofSeconds(20),
                    "the login watch applies the 5 agents' mapped states");
            for (Simulators.DemoAgent a : Simulators.demoAgents()) {
                String genesysPresence = genesysPresence(sims, a);
                String niceState = niceState(sims, a);
                t.line("  agent %-24s Genesys %-10s -> NICE %s", a.email(), genesysPresence, niceState);
                check(!(List.of("break", "meal").contains(genesysPresence.toLowerCase(java.util.Locale.ROOT))
                        && niceState.startsWith("Available")), "no agent on Break or Meal ends Available");
                check(!genesysPresence.equalsIgnoreCase("Break") || niceState.equals("Unavailable (Break)"),
                        "the agent on Break is Unavailable (Break) after login");
                check(!genesysPresence.equalsIgnoreCase("On Queue") || niceState.equals("Available"),
                        "an agent On Queue is Available after login");
                check(!genesysPresence.equalsIgnoreCase("Offline") || niceState.equals("LoggedOut"), "the Offline agent stays LoggedOut");
            }
            JsonNode watched = status(api, admin);
            t.line("GET /status: agentsPendingLogin %d, agentsApplied %d, left alone %d (their own state)",
                    watched.path("agentsPendingLogin").asInt(), watched.path("agentsApplied").asInt(),
                    watched.at("/agentsLoginWatch/agentsLeftAlone").asInt());
            check(watched.path("agentsPendingLogin").asInt() == 0, "no agent still waits after all logged in");

            t.section("The caller redials and lands on NICE");
            JsonNode ctx = api.get("/context/" + CALLER, context);
            t.line("NICE Studio: GET /context/+1317***0142 -> lastIvrState %s (call %s, %s), currentIntent %s, %d previous interaction(s)",
                    ctx.at("/lastIvrState/currentStep").asText(), shortId(ctx.at("/lastIvrState/callId").asText()),
                    ctx.at("/lastIvrState/platform").asText(), ctx.path("currentIntent").asText(),
                    ctx.path("previousInteractions").size());
            check(ctx.at("/lastIvrState/currentStep").asText().equals("BillingMenu"), "context served BillingMenu");
            t.line("the NICE IVR skips straight to BillingMenu (the guide's edge case 2)");
            api.post("/events", ingest, Map.of("contactId", "nice-7781", "event", "contactStarted", "ani", "3175550142",
                    "intent", "billing", "timestamp", Instant.now().toString()));
            t.line("POST /events (NICE Studio REST action): contact nice-7781 from ***0142 started on NICE");
            JsonNode before = decision(api, context);
            t.line("NICE IVR: GET /routing/queues/q-billing/decision -> %s (utilization %s, threshold %s)",
                    before.path("target").asText(), before.path("utilization").asText(), before.path("threshold").asText());
            check(before.path("target").asText().equals("agent"), "capacity routing to an agent while there is room");
            sims.nice().setSkillActivity(Simulators.NICE_SKILL_BILLING, 10, 8, 1, 1, 6);
            t.line("NICE Billing skill: 10 agents logged in, 8 on contacts, 1 in ACW, 6 waiting (licences nearly exhausted)");
            waitUntil(() -> decision(api, context).path("target").asText().equals("callback"), Duration.ofSeconds(10),
                    "capacity decision callback");
            JsonNode d = decision(api, context);
            t.line("NICE IVR: GET /routing/queues/q-billing/decision -> %s (utilization %s > threshold %s; callback queue %s)",
                    d.path("target").asText(), d.path("utilization").asText(), d.path("threshold").asText(),
                    d.path("callbackQueueId").asText());
            check(d.path("target").asText().equals("callback"), "capacity routing to callback");

            t.section("Genesys recovers; manual failback");
            sims.genesysTrunk().answer();
            t.line("the Genesys SIP trunk answers again");
            PlatformEvent recovered = primaryRecovered.get(30, TimeUnit.SECONDS);
            t.line("genesys recovered (%s); automatic failback is off by default: an operator decides", recovered.reason());
            JsonNode dry = api.post("/failback", admin, Map.of("reason", "drill: Genesys restored", "dryRun", true));
            t.line("POST /failback {\"dryRun\":true}: the plan, nothing changed:");
            for (JsonNode step : dry.path("steps")) {
                t.line("  plan %-7s now: %s -> target: %s", step.path("name").asText(), step.path("current").asText(),
                        step.path("target").asText());
            }
            t.line("  would start now: %s (%s)", dry.path("wouldStart").asBoolean(), dry.path("refusedBecause").asText("-"));
            check(dry.at("/steps/3/name").asText().equals("agents") && dry.at("/steps/3/counts").isObject(),
                    "the dry run reads both rosters and plans the agents' failback");
            check(!dry.path("wouldStart").asBoolean(), "failback inside the anti-flap lockout needs force");
            api.post("/failback", admin, Map.of("reason", "drill: Genesys restored", "dryRun", false, "force", true));
            t.line("POST /failback {\"reason\":\"drill: Genesys restored\",\"dryRun\":false,\"force\":true} (the override is journaled)");
            JsonNode failback = awaitRun(api, admin, "failback");
            printRun(t, failback);
            check(failback.path("outcome").asText().equals("done"), "failback run outcome " + failback.path("outcome").asText());
            t.line("DNS now: %s", cname(sims));
            check(cname(sims).contains(Simulators.GENESYS_TRUNK_HOST), "CNAME back on Genesys");
            check(sims.genesys().trunkEnabled(Simulators.TRUNK_BASE_SETTINGS_ID), "Genesys trunk back on");
            t.line("carrier trunk now %s", trunkOrder(sims));
            check(trunkOrder(sims).get(0).startsWith(Simulators.GENESYS_ORIGINATION_URL), "the carrier trunk prefers Genesys again");
            JsonNode after = api.get("/status", admin);
            t.line("GET /status: state %s, active %s", after.path("state").asText(), after.path("activePlatform").asText());
            check(after.path("state").asText().equals("NORMAL"), "state NORMAL after failback");
            JsonNode history = api.get("/context/" + CALLER, context);
            t.line("GET /context: %d interactions across both platforms, newest on %s",
                    history.path("previousInteractions").size(), history.at("/previousInteractions/0/platform").asText());
        } finally {
            main.stop();
        }
    }

    /** The carrier trunk's enabled origination URLs, most important first, as "sip:… @priority". */
    private static List<String> trunkOrder(Simulators sims) {
        return sims.twilio().originationUrls(Simulators.CARRIER_TRUNK_SID).stream()
                .filter(dev.ccaasfailover.simulator.TwilioSimulator.StoredOriginationUrl::enabled)
                .sorted(java.util.Comparator.comparingInt(dev.ccaasfailover.simulator.TwilioSimulator.StoredOriginationUrl::priority))
                .map(u -> u.sipUrl() + " @" + u.priority()).toList();
    }

    private static String genesysPresence(Simulators sims, Simulators.DemoAgent a) {
        return sims.genesys().agentById(a.genesysUserId()).map(g -> g.systemPresence()).orElse("?");
    }

    private static String niceState(Simulators sims, Simulators.DemoAgent a) {
        var nice = sims.nice().agentState(a.niceAgentId());
        return nice == null ? "-" : nice.stateName()
                + (nice.outStateDescription() == null || nice.outStateDescription().isBlank() ? "" : " (" + nice.outStateDescription() + ")");
    }

    private static JsonNode status(DrillClient api, String admin) {
        try {
            return api.get("/status", admin);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The service's own token variable when set (so a test can look for the token in the logs), else a fresh one. */
    private static String roleToken(String env, SecureRandom random) {
        String value = System.getenv(env);
        return value != null && !value.isBlank() ? value : HexFormat.of().formatHex(random.generateSeed(16));
    }

    private static JsonNode decision(DrillClient api, String token) {
        try {
            return api.get("/routing/queues/" + Simulators.GENESYS_QUEUE_BILLING + "/decision", token);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            failures.add(what);
        }
    }

    private static JsonNode awaitRun(DrillClient api, String admin, String kind) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode runs = api.get("/runs", admin).path("runs");
            for (JsonNode run : runs) {
                if (run.path("kind").asText().equals(kind) && !run.path("outcome").asText().equals("running")
                        && run.hasNonNull("finishedAt")) {
                    return api.get("/runs/" + run.path("runId").asText(), admin);
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no " + kind + " run ended within 30 s");
    }

    private static void printRun(Timeline t, JsonNode run) {
        t.line("run %s (%s, %s): %s", run.path("runId").asText(), run.path("kind").asText(), run.path("trigger").asText(),
                run.path("outcome").asText());
        for (JsonNode step : run.path("steps")) {
            long ms = Duration.between(Instant.parse(step.path("startedAt").asText()), Instant.parse(step.path("finishedAt").asText())).toMillis();
            t.line("  step %-7s %-8s %5d ms  %s", step.path("name").asText(), step.path("outcome").asText(), ms, step.path("detail").asText());
        }
    }

    private static String cname(Simulators sims) {
        return sims.route53().record(Simulators.HOSTED_ZONE_ID, Simulators.RECORD_NAME, "CNAME")
                .map(r -> Simulators.RECORD_NAME + " CNAME " + String.join(",", r.values()) + " TTL " + r.ttl())
                .orElse("no CNAME");
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) + "…" : id;
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

    private static void waitUntil(BooleanSupplier condition, Duration max, String what) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not reached within " + max.toSeconds() + " s: " + what);
            }
            Thread.sleep(50);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
