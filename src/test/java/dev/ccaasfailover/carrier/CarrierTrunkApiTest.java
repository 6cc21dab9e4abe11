package dev.ccaasfailover.carrier;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.simulator.TwilioSimulator;
import dev.ccaasfailover.simulator.TwilioSimulator.StoredOriginationUrl;
import dev.ccaasfailover.testsupport.LogCapture;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The carrier trunk through the running middleware against the Twilio simulator: drift at start-up (a WARN) and in
 * GET /status, POST /carrier/apply (dry run, apply, the swap and back), its refusals, and a trunk that is off.
 */
class CarrierTrunkApiTest {

    static final String TRUNK = "TK0123456789abcdef0123456789abcdef";
    static final String GENESYS = "sip:genesys-primary.trunk.example.com:5060;transport=tcp";
    static final String NICE = "sip:nice-secondary.trunk.example.com:5060;transport=tcp";

    private static Map<String, String> carrier(TwilioSimulator twilio) {
        return Map.of(
                "failover.carrier.twilio.trunk-sid", TRUNK,
                "failover.carrier.twilio.username", twilio.apiKeySid(),
                "failover.carrier.twilio.secret", twilio.apiKeySecret(),
                "failover.carrier.twilio.sip-url.genesys", GENESYS,
                "failover.carrier.twilio.sip-url.nice", NICE,
                "failover.carrier.twilio.base-url", twilio.apiBaseUrl());
    }

    @Test
    void driftIsAWarnAndInStatusThenApplyGivesTheShapeAndTheSwapGoesAndComesBack() throws Exception {
        try (TwilioSimulator twilio = new TwilioSimulator(0).start(); LogCapture logs = new LogCapture()) {
            twilio.addTrunk(TRUNK);
            // as found on many trunks: only the primary, and an old test URL still enabled
            twilio.addOriginationUrl(TRUNK, "genesys", GENESYS, 10, 10, true);
            twilio.addOriginationUrl(TRUNK, "old lab", "sip:lab.example.net", 5, 10, true);
            try (RunningMiddleware app = RunningMiddleware.start(carrier(twilio))) {
                // the first check runs as the routes start
                await().atMost(Duration.ofSeconds(20)).until(() -> status(app).get("carrier").get("checked").asBoolean());
                assertThat(logs.events()).anyMatch(e -> e.getLevel() == Level.WARN
                        && e.getFormattedMessage().contains("Carrier trunk " + TRUNK + " is not in its failover shape")
                        && e.getFormattedMessage().contains("no origination URL for the secondary " + NICE)
                        && e.getFormattedMessage().contains("an extra enabled URL sip:lab.example.net"));
                assertThat(logs.messages()).noneMatch(m -> m.contains(twilio.apiKeySecret()));

                JsonNode carrier = status(app).get("carrier");
                assertThat(carrier.get("inShape").asBoolean()).isFalse();
                assertThat(carrier.get("drift").toString()).contains("no origination URL for the secondary");

                HttpResponse<String> plan = app.post("/carrier/apply", RunningMiddleware.ADMIN_TOKEN, "{\"dryRun\":true}");
                assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
                assertThat(Json.MAPPER.readTree(plan.body()).get("writes")).hasSize(2); // create NICE, disable the lab URL
                assertThat(twilio.originationUrls(TRUNK)).hasSize(2); // a dry run writes nothing

                HttpResponse<String> applied = app.post("/carrier/apply", RunningMiddleware.ADMIN_TOKEN, "{\"dryRun\":false}");
                assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
                JsonNode a = Json.MAPPER.readTree(applied.body());
                assertThat(a.get("applied").asInt()).isEqualTo(2);
                assertThat(a.get("drift")).isEmpty();
                assertThat(enabledByPriority(twilio)).containsExactly(GENESYS + "@10", NICE + "@20");
                assertThat(status(app).get("carrier").get("inShape").asBoolean()).isTrue();

                // the swap: new calls straight to NICE; the normal shape then reports it as drift
                HttpResponse<String> swap = app.post("/carrier/apply", RunningMiddleware.ADMIN_TOKEN,
                        "{\"dryRun\":false,\"prefer\":\"secondary\"}");
                assertThat(swap.statusCode()).as(swap.body()).isEqualTo(200);
                assertThat(enabledByPriority(twilio)).containsExactly(NICE + "@10", GENESYS + "@20");
                assertThat(status(app).get("carrier").get("inShape").asBoolean()).isFalse();

                HttpResponse<String> back = app.post("/carrier/apply", RunningMiddleware.ADMIN_TOKEN, "{\"dryRun\":false}");
                assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
                assertThat(enabledByPriority(twilio)).containsExactly(GENESYS + "@10", NICE + "@20");
                // again: nothing left to write
                HttpResponse<String> again = app.post("/carrier/apply", RunningMiddleware.ADMIN_TOKEN, "{\"dryRun\":true}");
                assertThat(Json.MAPPER.readTree(again.body()).get("writes")).isEmpty();
            }
        }
    }

    @Test
    void withSwapAFailoverPrefersTheSecondaryAndAFailbackRestoresInTheJournal() throws Exception {
        try (TwilioSimulator twilio = new TwilioSimulator(0).start()) {
            twilio.addTrunk(TRUNK);
            twilio.addOriginationUrl(TRUNK, "genesys", GENESYS, 10, 10, true);
            twilio.addOriginationUrl(TRUNK, "nice", NICE, 20, 10, true);
            Map<String, String> props = new java.util.HashMap<>(carrier(twilio));
            props.put("failover.carrier.twilio.swap", "true");
            props.put("failover.runbook.force-min-interval-ms", "0"); // the failback forced right after the failover
            try (RunningMiddleware app = RunningMiddleware.start(props)) {
                JsonNode plan = Json.MAPPER.readTree(app.post("/failover", RunningMiddleware.ADMIN_TOKEN,
                        "{\"reason\":\"drill\",\"dryRun\":true}").body());
                JsonNode carrierPlan = step(plan.get("steps"), "carrier");
                assertThat(carrierPlan.get("current").asText()).isEqualTo(GENESYS + " priority 10, " + NICE + " priority 20");
                assertThat(carrierPlan.get("target").asText()).startsWith("nice preferred");
                assertThat(enabledByPriority(twilio)).containsExactly(GENESYS + "@10", NICE + "@20"); // dry run: unchanged

                JsonNode failover = run(app, "/failover");
                assertThat(step(failover.get("steps"), "carrier").get("outcome").asText()).isEqualTo("done");
                assertThat(enabledByPriority(twilio)).containsExactly(NICE + "@10", GENESYS + "@20");

                JsonNode failback = run(app, "/failback");
                assertThat(step(failback.get("steps"), "carrier").get("outcome").asText()).isEqualTo("done");
                assertThat(enabledByPriority(twilio)).containsExactly(GENESYS + "@10", NICE + "@20");
                // two priority updates each way, nothing repeated, and never a moment without an enabled URL
                assertThat(twilio.requests().stream().filter(r -> r.method().equals("POST")).count()).isEqualTo(4);
                assertThat(twilio.alerts(TRUNK)).isEmpty();
            }
        }
    }

    private static JsonNode run(RunningMiddleware app, String path) throws Exception {
        HttpResponse<String> r = app.post(path, RunningMiddleware.ADMIN_TOKEN, "{\"reason\":\"drill\",\"dryRun\":false,\"force\":true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String runId = Json.MAPPER.readTree(r.body()).get("runId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> !Json.MAPPER.readTree(app.get("/runs/" + runId, RunningMiddleware.ADMIN_TOKEN).body())
                .get("outcome").asText().equals("running"));
        JsonNode detail = Json.MAPPER.readTree(app.get("/runs/" + runId, RunningMiddleware.ADMIN_TOKEN).body());
        assertThat(detail.get("steps")).as(detail.toString()).isNotEmpty();
        return detail;
    }

    private static JsonNode step(JsonNode steps, String name) {
        for (JsonNode s : steps) {
            if (name.equals(s.get("name").asText())) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + steps);
    }

    @Test
    void badRequestsAreRefusedNamingTheFieldAndWriteNothing() throws Exception {
        try (TwilioSimulator twilio = new TwilioSimulator(0).start()) {
            twilio.addTrunk(TRUNK);
            twilio.addOriginationUrl(TRUNK, "genesys", GENESYS, 10, 10, true);
            try (RunningMiddleware app = RunningMiddleware.start(carrier(twilio))) {
                assertRefused(app, "", "body");
                assertRefused(app, "[]", "body");
                assertRefused(app, "{}", "dryRun");
                assertRefused(app, "{\"dryRun\":\"no\"}", "dryRun");
                assertRefused(app, "{\"dryRun\":false,\"prefer\":\"nice\"}", "prefer");
                assertRefused(app, "{\"dryRun\":false,\"sipUrl\":\"sip:evil.example\"}", "sipUrl");
                assertThat(app.post("/carrier/apply", null, "{\"dryRun\":false}").statusCode()).isEqualTo(401);
                assertThat(app.post("/carrier/apply", RunningMiddleware.CONTEXT_TOKEN, "{\"dryRun\":false}").statusCode())
                        .isEqualTo(403);
                assertThat(twilio.originationUrls(TRUNK)).hasSize(1);
            }
        }
    }

    @Test
    void aTrunkTheCarrierRefusesToReadIsInStatusAndApplyAnswers502WithTheReason() throws Exception {
        try (TwilioSimulator twilio = new TwilioSimulator(0).start()) {
            twilio.addTrunk(TRUNK);
            Map<String, String> props = new java.util.HashMap<>(carrier(twilio));
            props.put("failover.carrier.twilio.secret", "not-the-secret-0123456789abcdef");
            try (RunningMiddleware app = RunningMiddleware.start(props)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> status(app).get("carrier").get("checked").asBoolean());
                JsonNode carrier = status(app).get("carrier");
                assertThat(carrier.get("error").asText()).contains("HTTP 401").contains("Twilio error 20003");
                HttpResponse<String> r = app.post("/carrier/apply", RunningMiddleware.ADMIN_TOKEN, "{\"dryRun\":true}");
                assertThat(r.statusCode()).isEqualTo(502);
                assertThat(r.body()).contains("Twilio error 20003").doesNotContain("not-the-secret");
            }
        }
    }

    @Test
    void withoutATrunkNothingIsCheckedAndApplySaysWhatToConfigure() throws Exception {
        try (RunningMiddleware app = RunningMiddleware.start(Map.of())) {
            assertThat(status(app).has("carrier")).isFalse();
            HttpResponse<String> r = app.post("/carrier/apply", RunningMiddleware.ADMIN_TOKEN, "{\"dryRun\":true}");
            assertThat(r.statusCode()).isEqualTo(409);
            assertThat(r.body()).contains("failover.carrier.twilio.trunk-sid");
        }
    }

    private static void assertRefused(RunningMiddleware app, String body, String field) throws Exception {
        HttpResponse<String> r = app.post("/carrier/apply", RunningMiddleware.ADMIN_TOKEN, body);
        assertThat(r.statusCode()).as(body + " → " + r.body()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(r.body()).get("field").asText()).isEqualTo(field);
    }

    private static JsonNode status(RunningMiddleware app) throws Exception {
        HttpResponse<String> r = app.get("/status", RunningMiddleware.ADMIN_TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body());
    }

    private static List<String> enabledByPriority(TwilioSimulator twilio) {
        return twilio.originationUrls(TRUNK).stream().filter(StoredOriginationUrl::enabled)
                .sorted(Comparator.comparingInt(StoredOriginationUrl::priority))
                .map(u -> u.sipUrl() + "@" + u.priority()).toList();
    }
}
