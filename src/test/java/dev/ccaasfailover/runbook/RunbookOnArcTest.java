package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.simulator.ArcClusterSimulator;
import dev.ccaasfailover.simulator.ArcClusterSimulator.Outage;
import dev.ccaasfailover.simulator.Simulators;
import dev.ccaasfailover.testsupport.BindServer;
import dev.ccaasfailover.testsupport.MotoServer;
import dev.ccaasfailover.testsupport.RunbookFixture;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.ccaasfailover.testsupport.RunbookFixture.awaitRunEnded;
import static dev.ccaasfailover.testsupport.RunbookFixture.get;
import static dev.ccaasfailover.testsupport.RunbookFixture.post;
import static dev.ccaasfailover.testsupport.RunbookFixture.runId;
import static dev.ccaasfailover.testsupport.RunbookFixture.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The runbook through the real routes with dns.provider=route53-arc: the dns step flips routing controls on the ARC cluster simulator. */
class RunbookOnArcTest {

    static final String PANEL = "arn:aws:route53-recovery-control::123456789012:controlpanel/0123456789abcdef0123456789abcdef";
    static final String GENESYS = PANEL + "/routingcontrol/aaaa1111bbbb2222";
    static final String NICE = PANEL + "/routingcontrol/cccc3333dddd4444";
    static final String STANDBY = PANEL + "/routingcontrol/eeee5555ffff6666";
    static final String KEEP_GENESYS_SIDE = PANEL + "/safetyrule/3333cccc4444dddd";

    RunbookFixture fx;
    ArcClusterSimulator arc;
    final List<RunningMiddleware> apps = new ArrayList<>();

    @BeforeEach
    void simulators() throws Exception {
        fx = RunbookFixture.create();
        arc = new ArcClusterSimulator("us-east-1", "us-west-2", "eu-west-1").start();
        arc.acceptKey(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY); // what the SDK's default chain finds in this JVM
        arc.addRoutingControl(GENESYS, "genesys-voice", "On");
        arc.addRoutingControl(NICE, "nice-voice", "Off");
        arc.addRoutingControl(STANDBY, "genesys-standby-voice", "Off");
        arc.addAssertionRule(PANEL + "/safetyrule/1111aaaa2222bbbb", "at-least-one-platform", 1, GENESYS, NICE);
    }

    @AfterEach
    void stop() {
        apps.forEach(RunningMiddleware::close);
        arc.close();
        fx.close();
    }

    RunningMiddleware app(Map<String, String> extra) throws Exception {
        Map<String, String> p = new HashMap<>();
        p.put("failover.dns.provider", "route53-arc");
        p.put("failover.dns.route53-arc.cluster-endpoints", arc.clusterEndpointsSetting());
        p.put("failover.dns.route53-arc.routing-control-arn.genesys", GENESYS);
        p.put("failover.dns.route53-arc.routing-control-arn.nice", NICE);
        p.put("failover.dns.route53-arc.call-timeout-ms", "1000");
        p.putAll(extra);
        RunningMiddleware app = fx.startApp(p);
        apps.add(app);
        return app;
    }



    @Test
    void failoverFlipsTheRoutingControlsPastADownEndpointAndTheSplitBrainWatchStillRuns() throws Exception {
        arc.setOutage(0, Outage.SERVICE_UNAVAILABLE);
        // a carrier's resolver already answering the NICE failover record (Route 53 follows the routing controls)
        try (BindServer resolver = BindServer.start(Simulators.RECORD_NAME, Simulators.NICE_TRUNK_HOST)) {
            RunningMiddleware app = app(Map.of(
                    "failover.dns.propagation.resolvers", resolver.resolverSetting(),
                    "failover.dns.propagation.poll-ms", "100",
                    "failover.dns.propagation.timeout-ms", "60000"));
            String runId = runId(post(app, "/failover", "{\"reason\":\"drill\",\"dryRun\":false}"));
            JsonNode run = awaitRunEnded(app, runId);

            assertThat(run.get("outcome").asText()).as(run.toString()).isEqualTo("done");
            JsonNode dns = steps(run).get("dns");
            assertThat(dns.get("outcome").asText()).isEqualTo("done");
            assertThat(dns.get("attempts").asInt()).isEqualTo(1);
            assertThat(dns.get("detail").asText()).contains("routing controls: nice On, genesys Off via us-west-2")
                    .contains("verified: routing controls: nice On, genesys Off");
            assertThat(steps(run).get("trunk").get("outcome").asText()).isEqualTo("done");
            assertThat(arc.state(NICE)).isEqualTo("On");
            assertThat(arc.state(GENESYS)).isEqualTo("Off");
            assertThat(arc.calls("UpdateRoutingControlStates")).extracting(ArcClusterSimulator.Call::region)
                    .containsExactly("us-east-1", "us-west-2");
            assertThat(fx.route53Changes()).isZero();

            await().atMost(Duration.ofSeconds(10)).until(() -> get(app, "/status").at("/dnsPropagation/state").asText().equals("complete"));
            assertThat(get(app, "/status").at("/dnsPropagation/expected").asText()).isEqualTo(Simulators.NICE_TRUNK_HOST);
        }
    }

    @Test
    void routingControlsAlreadyOnTheTargetSkipTheStepWithoutAnUpdate() throws Exception {
        arc.setState(NICE, "On");
        arc.setState(GENESYS, "Off");
        RunningMiddleware app = app(Map.of());
        JsonNode run = awaitRunEnded(app, runId(post(app, "/failover", "{\"reason\":\"already there\",\"dryRun\":false}")));
        JsonNode dns = steps(run).get("dns");
        assertThat(dns.get("outcome").asText()).as(run.toString()).isEqualTo("skipped");
        assertThat(dns.get("detail").asText()).contains("already holds: routing controls: nice On, genesys Off");
        assertThat(arc.calls("UpdateRoutingControlStates")).isEmpty();
    }

    @Test
    void aSafetyRuleRefusalFailsTheStepAtOnceAndTheDryRunShowsTheControls() throws Exception {
        arc.addAssertionRule(KEEP_GENESYS_SIDE, "keep-genesys-side", 1, GENESYS, STANDBY);
        RunningMiddleware app = app(Map.of());

        HttpResponse<String> dry = post(app, "/failover", "{\"reason\":\"what would happen\",\"dryRun\":true}");
        JsonNode plan = Json.MAPPER.readTree(dry.body()).at("/steps/0");
        assertThat(plan.get("current").asText()).startsWith("routing controls: nice Off, genesys On");
        assertThat(plan.get("target").asText()).isEqualTo("routing controls: nice On, genesys Off");
        assertThat(plan.get("action").asText()).isEqualTo("change");

        JsonNode run = awaitRunEnded(app, runId(post(app, "/failover", "{\"reason\":\"blocked\",\"dryRun\":false}")));
        assertThat(run.get("outcome").asText()).isEqualTo("failed");
        JsonNode dns = steps(run).get("dns");
        assertThat(dns.get("attempts").asInt()).isEqualTo(1);
        assertThat(dns.get("detail").asText()).contains("not retried").contains("ConflictException").contains(KEEP_GENESYS_SIDE);
        assertThat(arc.calls("UpdateRoutingControlStates")).hasSize(1);
        assertThat(arc.state(GENESYS)).isEqualTo("On");
    }
}
