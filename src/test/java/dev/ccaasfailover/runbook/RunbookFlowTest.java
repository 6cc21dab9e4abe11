package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.HealthStatus;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.simulator.Fault;
import dev.ccaasfailover.simulator.Simulators;
import dev.ccaasfailover.testsupport.BindServer;
import dev.ccaasfailover.testsupport.RunbookFixture;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ccaasfailover.testsupport.RunbookFixture.awaitRunEnded;
import static dev.ccaasfailover.testsupport.RunbookFixture.get;
import static dev.ccaasfailover.testsupport.RunbookFixture.post;
import static dev.ccaasfailover.testsupport.RunbookFixture.runId;
import static dev.ccaasfailover.testsupport.RunbookFixture.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The runbook through the real routes: HTTP and health triggers, the Genesys and Route 53 simulators, one store. */
class RunbookFlowTest {

    RunbookFixture fx;
    final List<RunningMiddleware> apps = new ArrayList<>();

    @BeforeEach
    void simulators() throws Exception {
        fx = RunbookFixture.create();
    }

    @AfterEach
    void stop() {
        apps.forEach(RunningMiddleware::close);
        fx.close();
    }

    RunningMiddleware app(Map<String, String> extra) throws Exception {
        RunningMiddleware app = fx.startApp(extra);
        apps.add(app);
        return app;
    }



    @Test
    void manualFailoverMovesDnsAndSwitchesThePrimaryTrunkOffThenFailbackRestoresBoth() throws Exception {
        RunningMiddleware app = app(Map.of());
        String runId = runId(post(app, "/failover", "{\"reason\":\"drill\",\"dryRun\":false}"));
        JsonNode run = awaitRunEnded(app, runId);

        assertThat(run.get("outcome").asText()).as(run.toString()).isEqualTo("done");
        assertThat(run.get("trigger").asText()).isEqualTo("manual");
        Map<String, JsonNode> steps = steps(run);
        assertThat(steps.get("dns").get("outcome").asText()).isEqualTo("done");
        assertThat(steps.get("dns").get("detail").asText()).contains("INSYNC").contains(Simulators.NICE_TRUNK_HOST);
        assertThat(steps.get("trunk").get("outcome").asText()).isEqualTo("done");
        assertThat(steps.get("agents").get("outcome").asText()).isEqualTo("skipped");
        assertThat(steps.get("agents").get("detail").asText()).contains("agents not moved: API not configured for nice");
        assertThat(steps.get("notify").get("outcome").asText()).isEqualTo("skipped");
        assertThat(fx.cname()).isEqualTo(Simulators.NICE_TRUNK_HOST);
        assertThat(fx.trunkEnabled()).isFalse();

        JsonNode status = get(app, "/status");
        assertThat(status.get("state").asText()).isEqualTo("FAILED_OVER");
        assertThat(status.get("activePlatform").asText()).isEqualTo("nice");
        assertThat(status.at("/lastRun/runId").asText()).isEqualTo(runId);
        assertThat(status.at("/lastRun/outcome").asText()).isEqualTo("done");

        String backId = runId(post(app, "/failback", "{\"reason\":\"genesys is back\",\"dryRun\":false}"));
        JsonNode back = awaitRunEnded(app, backId);
        assertThat(back.get("outcome").asText()).as(back.toString()).isEqualTo("done");
        assertThat(fx.cname()).isEqualTo(Simulators.GENESYS_TRUNK_HOST);
        assertThat(fx.trunkEnabled()).isTrue();
        JsonNode after = get(app, "/status");
        assertThat(after.get("state").asText()).isEqualTo("NORMAL");
        assertThat(after.get("activePlatform").asText()).isEqualTo("genesys");

        JsonNode runs = get(app, "/runs");
        assertThat(runs.get("runs")).hasSize(2);
        assertThat(runs.at("/runs/0/runId").asText()).isEqualTo(backId);
        assertThat(runs.at("/runs/1/runId").asText()).isEqualTo(runId);
    }

    @Test
    void afterTheCutoverStatusShowsWhichCarrierResolversStillSendCallersToTheOldPlatform() throws Exception {
        // Two real DNS servers stand in for carriers' resolvers: one follows Route 53, one keeps its cached answer.
        try (BindServer followed = BindServer.start(Simulators.RECORD_NAME, Simulators.NICE_TRUNK_HOST);
             BindServer cached = BindServer.start(Simulators.RECORD_NAME, Simulators.GENESYS_TRUNK_HOST)) {
            RunningMiddleware app = app(Map.of(
                    "failover.dns.propagation.resolvers", followed.resolverSetting() + "," + cached.resolverSetting(),
                    "failover.dns.propagation.poll-ms", "100",
                    "failover.dns.propagation.timeout-ms", "60000"));
            assertThat(get(app, "/status").has("dnsPropagation")).isFalse();
            String runId = runId(post(app, "/failover", "{\"reason\":\"split-brain check\",\"dryRun\":false}"));
            assertThat(awaitRunEnded(app, runId).get("outcome").asText()).isEqualTo("done");

            await().atMost(Duration.ofSeconds(10)).until(() -> get(app, "/status").at("/dnsPropagation/resolvers").size() == 2);
            JsonNode watch = get(app, "/status").get("dnsPropagation");
            assertThat(watch.get("runId").asText()).isEqualTo(runId);
            assertThat(watch.get("expected").asText()).isEqualTo(Simulators.NICE_TRUNK_HOST);
            assertThat(watch.get("state").asText()).isEqualTo("watching");
            assertThat(watch.at("/resolvers/0/state").asText()).isEqualTo("propagated");
            assertThat(watch.at("/resolvers/1/state").asText()).isEqualTo("stale");
            assertThat(watch.at("/resolvers/1/answer").asText()).isEqualTo(Simulators.GENESYS_TRUNK_HOST);

            assertThat(app.get("/observe/metrics", null).body()).contains("failover_dns_propagation_stale 1.0");

            cached.answer(Simulators.NICE_TRUNK_HOST); // the carrier's cache expires
            await().atMost(Duration.ofSeconds(10)).until(() -> get(app, "/status").at("/dnsPropagation/state").asText().equals("complete"));
        }
    }

    @Test
    void failoverRequestedTwiceMakesOneSetOfExternalChanges() throws Exception {
        RunningMiddleware app = app(Map.of());
        String runId = runId(post(app, "/failover", "{\"reason\":\"first\",\"dryRun\":false}"));
        HttpResponse<String> second = post(app, "/failover", "{\"reason\":\"second\",\"dryRun\":false}");
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(Json.MAPPER.readTree(second.body()).get("message").asText()).containsAnyOf("in progress", "FAILED_OVER");
        awaitRunEnded(app, runId);
        HttpResponse<String> third = post(app, "/failover", "{\"reason\":\"third\",\"dryRun\":false}");
        assertThat(third.statusCode()).isEqualTo(409);
        assertThat(third.body()).contains("already FAILED_OVER");

        assertThat(fx.route53Changes()).isEqualTo(1);
        assertThat(fx.trunkPuts()).isEqualTo(1);
        assertThat(get(app, "/runs").get("runs")).hasSize(1);
    }

    @Test
    void dryRunReturnsThePlanWithCurrentAndTargetStatesAndChangesNothing() throws Exception {
        RunningMiddleware app = app(Map.of());
        HttpResponse<String> r = post(app, "/failover", "{\"reason\":\"what would happen\",\"dryRun\":true}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode plan = Json.MAPPER.readTree(r.body());
        assertThat(plan.get("dryRun").asBoolean()).isTrue();
        assertThat(plan.get("wouldStart").asBoolean()).isTrue();
        JsonNode dns = plan.at("/steps/0");
        assertThat(dns.get("name").asText()).isEqualTo("dns");
        assertThat(dns.get("current").asText()).contains(Simulators.GENESYS_TRUNK_HOST);
        assertThat(dns.get("target").asText()).contains(Simulators.NICE_TRUNK_HOST);
        assertThat(dns.get("action").asText()).isEqualTo("change");
        JsonNode trunk = plan.at("/steps/1");
        assertThat(trunk.get("current").asText()).contains(Simulators.TRUNK_BASE_SETTINGS_ID + "=enabled");
        assertThat(trunk.get("target").asText()).contains("disabled");
        JsonNode carrier = plan.at("/steps/2");
        assertThat(carrier.get("name").asText()).isEqualTo("carrier");
        assertThat(carrier.get("note").asText()).isEqualTo("carrier.twilio.trunk-sid not set");
        JsonNode agents = plan.at("/steps/3");
        assertThat(agents.get("name").asText()).isEqualTo("agents");
        // This fixture configures the Genesys API only: the plan says so instead of pretending to move agents.
        assertThat(agents.get("action").asText()).isEqualTo("skip");
        assertThat(agents.get("note").asText()).startsWith("agents not moved: API not configured for nice (failover.platform.nice.");
        assertThat(plan.get("steps")).hasSize(5);
        assertThat(r.headers().map().keySet()).noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("agents")
                || h.equalsIgnoreCase("direction") || h.equalsIgnoreCase("runId") || h.equalsIgnoreCase("dryRun"));

        assertThat(fx.route53Changes()).isZero();
        assertThat(fx.trunkPuts()).isZero();
        assertThat(get(app, "/status").get("state").asText()).isEqualTo("NORMAL");
        assertThat(get(app, "/runs").get("runs")).isEmpty();
    }

    @Test
    void primaryDownWithTheSecondaryUpFailsOverAutomatically() throws Exception {
        RunningMiddleware app = app(Map.of());
        RunbookFixture.setHealth(app, Platform.GENESYS, HealthStatus.Down);
        RunbookFixture.setHealth(app, Platform.NICE, HealthStatus.Up);
        app.context().createProducerTemplate().sendBodyAndHeaders("direct:platform-down",
                Map.of("platform", "genesys", "reason", "3 consecutive Down"), Map.of("platform", "genesys", "reason", "3 consecutive Down"));
        JsonNode runs = get(app, "/runs");
        assertThat(runs.get("runs")).hasSize(1);
        JsonNode run = awaitRunEnded(app, runs.at("/runs/0/runId").asText());
        assertThat(run.get("trigger").asText()).isEqualTo("automatic");
        assertThat(run.get("outcome").asText()).isEqualTo("done");
        assertThat(fx.cname()).isEqualTo(Simulators.NICE_TRUNK_HOST);
    }

    @Test
    void bothPlatformsDownStartsNoFailover() throws Exception {
        RunningMiddleware app = app(Map.of());
        RunbookFixture.setHealth(app, Platform.GENESYS, HealthStatus.Down);
        RunbookFixture.setHealth(app, Platform.NICE, HealthStatus.Down);
        app.context().createProducerTemplate().sendBodyAndHeaders("direct:platform-down",
                Map.of("platform", "genesys", "reason", "down"), Map.of("platform", "genesys", "reason", "down"));
        assertThat(get(app, "/runs").get("runs")).isEmpty();
        assertThat(get(app, "/status").get("state").asText()).isEqualTo("NORMAL");
        assertThat(fx.route53Changes()).isZero();
        assertThat(fx.trunkPuts()).isZero();
    }

    @Test
    void aStepThatKeepsFailingEndsTheRunFailedAndStatusShowsWhichStepAndWhy() throws Exception {
        RunningMiddleware app = app(Map.of());
        fx.sims.route53().setFault(Fault.error(503));
        String runId = runId(post(app, "/failover", "{\"reason\":\"route 53 impaired\",\"dryRun\":false}"));
        JsonNode run = awaitRunEnded(app, runId);
        assertThat(run.get("outcome").asText()).isEqualTo("failed");
        assertThat(run.get("failedStep").asText()).isEqualTo("dns");
        Map<String, JsonNode> steps = steps(run);
        assertThat(steps.get("dns").get("outcome").asText()).isEqualTo("failed");
        assertThat(steps.get("dns").get("attempts").asInt()).isEqualTo(3);
        assertThat(steps.get("dns").get("detail").asText()).contains("failed after 3 attempts");
        assertThat(steps).doesNotContainKey("agents");
        JsonNode status = get(app, "/status");
        assertThat(status.get("state").asText()).isEqualTo("FAILING_OVER");
        assertThat(status.get("activePlatform").asText()).isEqualTo("genesys");
        assertThat(status.at("/lastRun/outcome").asText()).isEqualTo("failed");
        assertThat(status.at("/lastRun/failedStep").asText()).isEqualTo("dns");

        // an operator re-runs once Route 53 answers: the trunk, already off, is skipped
        fx.sims.route53().clearFault();
        String retry = runId(post(app, "/failover", "{\"reason\":\"retry after route 53 recovered\",\"dryRun\":false}"));
        JsonNode again = awaitRunEnded(app, retry);
        assertThat(again.get("outcome").asText()).isEqualTo("done");
        assertThat(steps(again).get("trunk").get("outcome").asText()).isEqualTo("skipped");
        assertThat(fx.trunkPuts()).isEqualTo(1);
    }

    @Test
    void aStaleTrunkVersionGets409AndIsReReadAndRetried() throws Exception {
        RunningMiddleware app = app(Map.of());
        // the step's read is GET 1, the switch's own GET is GET 2; an admin saves right after it, so the PUT is stale
        fx.sims.genesys().concurrentEditAfterReads(Simulators.TRUNK_BASE_SETTINGS_ID, 2);
        String runId = runId(post(app, "/failover", "{\"reason\":\"409 on the trunk\",\"dryRun\":false}"));
        JsonNode run = awaitRunEnded(app, runId);
        assertThat(run.get("outcome").asText()).as(run.toString()).isEqualTo("done");
        JsonNode trunk = steps(run).get("trunk");
        assertThat(trunk.get("outcome").asText()).isEqualTo("done");
        assertThat(trunk.get("attempts").asInt()).isEqualTo(1);
        assertThat(fx.trunkPuts()).isEqualTo(2);
        assertThat(fx.trunkEnabled()).isFalse();
    }

    @Test
    void aRunInterruptedAfterTheDnsStepResumesOnRestartWithoutRepeatingDns() throws Exception {
        // the stopped instance's lease runs out before the second takes the run over
        Map<String, String> slowRetries = Map.of("failover.runbook.step-attempts", "20",
                "failover.runbook.backoff-initial-ms", "300", "failover.runbook.backoff-max-ms", "500", "failover.runbook.lease-ms", "1500");
        RunningMiddleware first = app(slowRetries);
        fx.sims.genesys().setFault(Fault.error(503).onPath("/api/v2/telephony"));
        String runId = runId(post(first, "/failover", "{\"reason\":\"crash drill\",\"dryRun\":false}"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
                "done".equals(steps(get(first, "/runs/" + runId)).getOrDefault("dns", Json.MAPPER.createObjectNode()).path("outcome").asText()));
        first.close(); // the process dies mid-run: trunk still failing, run still running
        apps.remove(first);
        assertThat(fx.route53Changes()).isEqualTo(1);

        fx.sims.genesys().clearFault();
        RunningMiddleware second = app(slowRetries);
        JsonNode run = awaitRunEnded(second, runId);
        assertThat(run.get("outcome").asText()).as(run.toString()).isEqualTo("done");
        Map<String, JsonNode> steps = steps(run);
        assertThat(steps.get("dns").get("attempts").asInt()).isEqualTo(1);
        assertThat(steps.get("trunk").get("outcome").asText()).isEqualTo("done");
        assertThat(fx.route53Changes()).as("DNS not repeated").isEqualTo(1);
        assertThat(fx.trunkPuts()).isEqualTo(1);
        assertThat(get(second, "/status").get("state").asText()).isEqualTo("FAILED_OVER");
    }

    @Test
    void twoInstancesOnOneStoreTriggeredTogetherRunExactlyOneFailover() throws Exception {
        RunningMiddleware a = app(Map.of());
        RunningMiddleware b = app(Map.of());
        for (RunningMiddleware app : List.of(a, b)) {
            RunbookFixture.setHealth(app, Platform.GENESYS, HealthStatus.Down);
            RunbookFixture.setHealth(app, Platform.NICE, HealthStatus.Up);
        }
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (RunningMiddleware app : List.of(a, b, a, b)) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    app.context().createProducerTemplate().sendBodyAndHeaders("direct:platform-down",
                            Map.of("platform", "genesys", "reason", "race"), Map.of("platform", "genesys", "reason", "race"));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(10_000);
        }
        JsonNode runs = get(a, "/runs");
        assertThat(runs.get("runs")).hasSize(1);
        JsonNode run = awaitRunEnded(b, runs.at("/runs/0/runId").asText());
        assertThat(run.get("outcome").asText()).isEqualTo("done");
        assertThat(fx.route53Changes()).isEqualTo(1);
        assertThat(fx.trunkPuts()).isEqualTo(1);
        assertThat(get(b, "/status").get("state").asText()).isEqualTo("FAILED_OVER");
    }

    @Test
    void withNiceAsPrimaryTheTrunkStepFailsAsNotSupportedInsteadOfCrashing() throws Exception {
        RunningMiddleware app = app(Map.of("failover.primary", "nice", "failover.secondary", "genesys"));
        fx.sims.route53().putRecord(Simulators.HOSTED_ZONE_ID, Simulators.RECORD_NAME, "CNAME", 60, Simulators.NICE_TRUNK_HOST);
        String runId = runId(post(app, "/failover", "{\"reason\":\"nice primary\",\"dryRun\":false}"));
        JsonNode run = awaitRunEnded(app, runId);
        assertThat(run.get("outcome").asText()).isEqualTo("failed");
        JsonNode trunk = steps(run).get("trunk");
        assertThat(trunk.get("outcome").asText()).isEqualTo("failed");
        assertThat(trunk.get("attempts").asInt()).isEqualTo(1);
        assertThat(trunk.get("detail").asText()).contains("not supported for platform nice");
        assertThat(steps(run).get("dns").get("outcome").asText()).isEqualTo("done");
        assertThat(fx.cname()).isEqualTo(Simulators.GENESYS_TRUNK_HOST);
    }

    @Test
    void theLockoutBlocksAutomaticRunsAndAManualRunPassesOnlyWithForceJournaled() throws Exception {
        RunningMiddleware app = app(Map.of("failover.runbook.lockout-ms", "600000"));
        awaitRunEnded(app, runId(post(app, "/failover", "{\"reason\":\"first\",\"dryRun\":false}")));

        HttpResponse<String> refused = post(app, "/failback", "{\"reason\":\"too soon\",\"dryRun\":false}");
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("lockout").contains("force=true");

        String forced = runId(post(app, "/failback", "{\"reason\":\"operator insists\",\"force\":true,\"dryRun\":false}"));
        JsonNode run = awaitRunEnded(app, forced);
        assertThat(run.get("outcome").asText()).isEqualTo("done");
        assertThat(run.get("force").asBoolean()).isTrue();
        assertThat(run.get("lockoutOverridden").asBoolean()).isTrue();

        RunbookFixture.setHealth(app, Platform.GENESYS, HealthStatus.Down);
        RunbookFixture.setHealth(app, Platform.NICE, HealthStatus.Up);
        app.context().createProducerTemplate().sendBodyAndHeaders("direct:platform-down",
                Map.of("platform", "genesys", "reason", "flap"), Map.of("platform", "genesys", "reason", "flap"));
        assertThat(get(app, "/runs").get("runs")).hasSize(2);
        assertThat(get(app, "/status").get("state").asText()).isEqualTo("NORMAL");
    }

    @Test
    void withFailbackAutoTheRunbookFailsBackOnceThePrimaryHasBeenUpLongEnough() throws Exception {
        RunningMiddleware app = app(Map.of("failover.failback.auto", "true", "failover.failback.stable-ms", "300"));
        RunbookFixture.setHealth(app, Platform.GENESYS, HealthStatus.Down);
        awaitRunEnded(app, runId(post(app, "/failover", "{\"reason\":\"outage\",\"dryRun\":false}")));
        assertThat(get(app, "/status").get("state").asText()).isEqualTo("FAILED_OVER");

        RunbookFixture.setHealth(app, Platform.GENESYS, HealthStatus.Up);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).pollInterval(java.time.Duration.ofMillis(50))
                .until(() -> "NORMAL".equals(get(app, "/status").get("state").asText()));
        JsonNode back = get(app, "/runs").at("/runs/0");
        assertThat(back.get("kind").asText()).isEqualTo("failback");
        assertThat(back.get("trigger").asText()).isEqualTo("automatic");
        assertThat(fx.cname()).isEqualTo(Simulators.GENESYS_TRUNK_HOST);
        assertThat(fx.trunkEnabled()).isTrue();
    }

    @Test
    void badRequestBodiesAre400NamingTheFieldAndUnknownRunsAre404() throws Exception {
        RunningMiddleware app = app(Map.of());
        assertThat(post(app, "/failover", "{not json").statusCode()).isEqualTo(400);
        HttpResponse<String> typo = post(app, "/failover", "{\"reason\":\"x\",\"dryrun\":true}");
        assertThat(typo.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(typo.body()).get("field").asText()).isEqualTo("dryrun");
        HttpResponse<String> wrongType = post(app, "/failover", "{\"reason\":\"x\",\"dryRun\":\"yes\"}");
        assertThat(Json.MAPPER.readTree(wrongType.body()).get("field").asText()).isEqualTo("dryRun");
        assertThat(post(app, "/failback", "{}").statusCode()).isEqualTo(400);
        assertThat(app.post("/failover", RunningMiddleware.CONTEXT_TOKEN, "{\"reason\":\"x\",\"dryRun\":false}").statusCode()).isEqualTo(403);
        assertThat(app.get("/runs/run-nope", RunningMiddleware.ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(app.get("/runs?limit=abc", RunningMiddleware.ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(app.get("/runs?limit='5'", RunningMiddleware.ADMIN_TOKEN).statusCode()).isEqualTo(400); // quotes are not stripped
        assertThat(fx.route53Changes()).isZero();
    }

    @Test
    void aBodyThatLooksLikeADryRunOrIsAmbiguousNeverStartsARun() throws Exception {
        RunningMiddleware app = app(Map.of());
        List<String> dryRunNotABoolean = List.of("{\"reason\":\"x\"}", "{\"reason\":\"x\",\"force\":true}",
                "{\"reason\":\"x\",\"dryRun\":null}", "{\"reason\":\"x\",\"dryRun\":\"false\"}",
                "{\"reason\":\"x\",\"dryRun\":\"true\"}", "{\"reason\":\"x\",\"dryRun\":0}");
        List<String> ambiguous = List.of("{\"reason\":\"x\",\"force\":true,\"dryRun\":true,\"dryRun\":false}",
                "{\"reason\":\"x\",\"dryRun\":true}{\"reason\":\"x\",\"dryRun\":false}",
                "{\"reason\":\"x\",\"dryRun\":false} trailing", "{\"reason\":\"x\",\"dryRun\":false}]",
                // quotes around the body were stripped by Camel's method-string binding, leaving a valid request
                "'{\"reason\":\"x\",\"dryRun\":false}'", "\"{\"reason\":\"x\",\"dryRun\":false}\"");
        for (String path : List.of("/failover", "/failback")) {
            for (String body : dryRunNotABoolean) {
                HttpResponse<String> r = post(app, path, body);
                assertThat(r.statusCode()).as(path + " " + body + " -> " + r.body()).isEqualTo(400);
                assertThat(Json.MAPPER.readTree(r.body()).get("field").asText()).as(body).isEqualTo("dryRun");
            }
            for (String body : ambiguous) {
                HttpResponse<String> r = post(app, path, body);
                assertThat(r.statusCode()).as(path + " " + body + " -> " + r.body()).isEqualTo(400);
                assertThat(Json.MAPPER.readTree(r.body()).get("field").asText()).as(body).isEqualTo("body");
            }
        }
        assertThat(get(app, "/runs").get("runs")).isEmpty();
        assertThat(get(app, "/status").get("state").asText()).isEqualTo("NORMAL");
        assertThat(fx.route53Changes()).isZero();
        assertThat(fx.trunkPuts()).isZero();
    }

    @Test
    void forcedRunsStartAtMostOncePerIntervalEvenFromTwoInstancesAndTheRefusalSaysWhenToRetry() throws Exception {
        Map<String, String> props = Map.of("failover.runbook.lockout-ms", "600000", "failover.runbook.force-min-interval-ms", "600000");
        RunningMiddleware a = app(props);
        RunningMiddleware b = app(props);
        awaitRunEnded(a, runId(post(a, "/failover", "{\"reason\":\"outage\",\"dryRun\":false}")));
        String forced = runId(post(b, "/failback", "{\"reason\":\"operator insists\",\"dryRun\":false,\"force\":true}"));
        JsonNode run = awaitRunEnded(b, forced);
        assertThat(run.get("force").asBoolean()).isTrue(); // the forced run is in the journal with its reason
        assertThat(run.get("reason").asText()).isEqualTo("operator insists");
        long dnsChanges = fx.route53Changes();

        for (RunningMiddleware app : List.of(a, b)) { // the other instance sees the same limit
            HttpResponse<String> again = post(app, "/failover", "{\"reason\":\"once more\",\"dryRun\":false,\"force\":true}");
            assertThat(again.statusCode()).as(again.body()).isEqualTo(429);
            long retryAfter = Long.parseLong(again.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 600L);
            JsonNode body = Json.MAPPER.readTree(again.body());
            assertThat(body.get("status").asInt()).isEqualTo(429);
            assertThat(body.get("message").asText()).contains("force=true").contains("force-min-interval-ms");
        }
        // a dry run changes nothing, so it is not refused: it says why the run would not start
        HttpResponse<String> plan = post(a, "/failover", "{\"reason\":\"what if\",\"dryRun\":true,\"force\":true}");
        assertThat(plan.statusCode()).as(plan.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(plan.body()).get("wouldStart").asBoolean()).isFalse();
        assertThat(Json.MAPPER.readTree(plan.body()).get("refusedBecause").asText()).contains("force-min-interval-ms");

        assertThat(get(a, "/runs").get("runs")).hasSize(2);
        assertThat(fx.route53Changes()).isEqualTo(dnsChanges);
        assertThat(get(a, "/status").get("state").asText()).isEqualTo("NORMAL");
    }
}
