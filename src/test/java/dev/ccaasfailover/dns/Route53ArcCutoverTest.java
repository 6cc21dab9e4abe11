package dev.ccaasfailover.dns;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.runbook.StepFailedException;
import dev.ccaasfailover.runbook.StepState;
import dev.ccaasfailover.simulator.ArcClusterSimulator;
import dev.ccaasfailover.simulator.ArcClusterSimulator.Call;
import dev.ccaasfailover.simulator.ArcClusterSimulator.Outage;
import dev.ccaasfailover.simulator.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dns.provider=route53-arc: the real SDK client against the ARC cluster simulator's three endpoints on 127.0.0.1. */
class Route53ArcCutoverTest {

    static final String PANEL = "arn:aws:route53-recovery-control::123456789012:controlpanel/0123456789abcdef0123456789abcdef";
    static final String GENESYS = PANEL + "/routingcontrol/aaaa1111bbbb2222";
    static final String NICE = PANEL + "/routingcontrol/cccc3333dddd4444";
    static final String STANDBY = PANEL + "/routingcontrol/eeee5555ffff6666";
    static final String AT_LEAST_ONE = PANEL + "/safetyrule/1111aaaa2222bbbb";
    static final String KEEP_GENESYS_SIDE = PANEL + "/safetyrule/3333cccc4444dddd";

    ArcClusterSimulator sim;
    Route53ArcCutover cutover;

    @BeforeEach
    void cluster() {
        sim = new ArcClusterSimulator("us-east-1", "ap-southeast-2", "eu-west-1").start();
        sim.addRoutingControl(GENESYS, "genesys-voice", "On");
        sim.addRoutingControl(NICE, "nice-voice", "Off");
        sim.addRoutingControl(STANDBY, "genesys-standby-voice", "Off");
        sim.addAssertionRule(AT_LEAST_ONE, "at-least-one-platform", 1, GENESYS, NICE);
    }

    @AfterEach
    void stop() {
        if (cutover != null) {
            cutover.close();
        }
        sim.close();
    }

    Map<String, String> settings() {
        Map<String, String> p = new HashMap<>();
        p.put("failover.dns.provider", "route53-arc");
        p.put("failover.dns.record-name", "inbound.voiceservices.example.com");
        p.put("failover.dns.target.genesys", "genesys-primary.trunk.example.com");
        p.put("failover.dns.target.nice", "nice-secondary.trunk.example.com");
        p.put("failover.dns.route53-arc.cluster-endpoints", sim.clusterEndpointsSetting());
        p.put("failover.dns.route53-arc.routing-control-arn.genesys", GENESYS);
        p.put("failover.dns.route53-arc.routing-control-arn.nice", NICE);
        return p;
    }

    Route53ArcCutover cutover(Map<String, String> settings) {
        FailoverConfig config = FailoverConfig.load(settings::get);
        cutover = new Route53ArcCutover(config.dns(), Duration.ofMillis(1000), StaticCredentialsProvider.create(
                AwsBasicCredentials.create(ArcClusterSimulator.ACCESS_KEY, ArcClusterSimulator.SECRET_KEY)));
        return cutover;
    }

    static List<String> outcomes(List<Call> calls) {
        return calls.stream().map(c -> c.region() + " " + c.status() + (c.errorType() == null ? "" : " " + c.errorType())).toList();
    }

    @Test
    void theFlipTurnsTheTargetOnAndTheOtherOffInOneCallAndReadsBack() {
        Route53ArcCutover arc = cutover(settings());
        StepState before = arc.read("nice");
        assertThat(before.holds()).isFalse();
        assertThat(before.current()).isEqualTo("routing controls: nice Off, genesys On (read via us-east-1)");
        assertThat(before.target()).isEqualTo("routing controls: nice On, genesys Off");

        assertThat(arc.upsert("nice")).isEqualTo("nice");
        assertThat(arc.awaitInSync("nice")).isEqualTo("routing controls: nice On, genesys Off via us-east-1");
        assertThat(arc.read("nice").holds()).isTrue();
        assertThat(sim.state(NICE)).isEqualTo("On");
        assertThat(sim.state(GENESYS)).isEqualTo("Off");

        List<Call> updates = sim.calls("UpdateRoutingControlStates");
        assertThat(updates).hasSize(1);
        assertThat(updates.get(0).endpoint()).isZero();
        assertThat(updates.get(0).body()).contains("\"RoutingControlArn\":\"" + NICE + "\"", "\"RoutingControlState\":\"On\"",
                "\"RoutingControlArn\":\"" + GENESYS + "\"", "\"RoutingControlState\":\"Off\"");
        // and back: failback is the same call the other way round
        arc.upsert("genesys");
        assertThat(arc.read("genesys").holds()).isTrue();
        assertThat(sim.state(GENESYS)).isEqualTo("On");
    }

    @Test
    void anEndpointAnswering503IsPassedForTheNextInTurnAndTheLogShowsTheOrder() {
        sim.setOutage(0, Outage.SERVICE_UNAVAILABLE);
        Route53ArcCutover arc = cutover(settings());
        arc.upsert("nice");
        assertThat(outcomes(sim.calls("UpdateRoutingControlStates")))
                .containsExactly("us-east-1 503 ServiceUnavailableException", "ap-southeast-2 200");
        assertThat(arc.awaitInSync("nice")).endsWith("via ap-southeast-2");
        assertThat(sim.state(NICE)).isEqualTo("On");
    }

    @Test
    void aRefusedConnectionAnUnavailableEndpointAndThrottlingEachMoveOnToTheNext() {
        sim.endpoint(0).setFault(Fault.refuse());
        sim.setOutage(1, Outage.ENDPOINT_UNAVAILABLE);
        Route53ArcCutover arc = cutover(settings());
        arc.upsert("nice");
        assertThat(sim.endpoint(0).requests()).isEmpty();
        assertThat(outcomes(sim.calls("UpdateRoutingControlStates")))
                .containsExactly("ap-southeast-2 503 EndpointTemporarilyUnavailableException", "eu-west-1 200");

        sim.clearCalls();
        sim.endpoint(0).clearFault();
        sim.setOutage(1, Outage.NONE);
        sim.endpoint(0).setFault(Fault.rateLimit(1).times(1));
        arc.upsert("genesys");
        assertThat(outcomes(sim.calls("UpdateRoutingControlStates"))).containsExactly("ap-southeast-2 200");
        assertThat(sim.endpoint(0).requests()).hasSize(1); // answered ThrottlingException by the fault, before the handler
        assertThat(sim.state(GENESYS)).isEqualTo("On");
    }

    @Test
    void aSlowEndpointIsAbandonedAfterTheCallTimeout() {
        sim.endpoint(0).setFault(Fault.slow(10_000));
        Route53ArcCutover arc = cutover(settings());
        arc.upsert("nice");
        assertThat(sim.calls("UpdateRoutingControlStates")).extracting(Call::region).contains("ap-southeast-2");
        assertThat(arc.read("nice").holds()).isTrue();
    }

    @Test
    void allEndpointsDownIsARetryableFailureNamingEachOne() {
        sim.endpoint(0).setFault(Fault.refuse());
        sim.setOutage(1, Outage.SERVICE_UNAVAILABLE);
        sim.setOutage(2, Outage.ENDPOINT_UNAVAILABLE);
        Route53ArcCutover arc = cutover(settings());
        assertThatThrownBy(() -> arc.upsert("nice"))
                .isInstanceOfSatisfying(StepFailedException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("none of the 3 cluster endpoints answered")
                .hasMessageContaining("us-east-1 (").hasMessageContaining("no answer")
                .hasMessageContaining("ap-southeast-2 (").hasMessageContaining("ServiceUnavailableException")
                .hasMessageContaining("eu-west-1 (").hasMessageContaining("EndpointTemporarilyUnavailableException");
        assertThat(sim.state(GENESYS)).isEqualTo("On");
        assertThatThrownBy(() -> arc.read("nice"))
                .isInstanceOfSatisfying(StepFailedException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void aSafetyRuleRefusalStopsAtOnceNamingTheRuleAndAnOverrideLetsItThrough() {
        // a rule our flip breaks: the Genesys side (its control or its standby) must keep one On
        sim.addAssertionRule(KEEP_GENESYS_SIDE, "keep-genesys-side", 1, GENESYS, STANDBY);
        Route53ArcCutover arc = cutover(settings());
        assertThatThrownBy(() -> arc.upsert("nice"))
                .isInstanceOfSatisfying(StepFailedException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("ConflictException")
                .hasMessageContaining(KEEP_GENESYS_SIDE)
                .hasMessageContaining("failover.dns.route53-arc.safety-rules-to-override");
        assertThat(outcomes(sim.calls("UpdateRoutingControlStates"))).containsExactly("us-east-1 409 ConflictException");
        assertThat(sim.state(NICE)).isEqualTo("Off");
        assertThat(sim.state(GENESYS)).isEqualTo("On");
        arc.close();

        Map<String, String> breakGlass = settings();
        breakGlass.put("failover.dns.route53-arc.safety-rules-to-override", KEEP_GENESYS_SIDE);
        Route53ArcCutover overriding = cutover(breakGlass);
        overriding.upsert("nice");
        assertThat(sim.state(NICE)).isEqualTo("On");
        assertThat(sim.state(GENESYS)).isEqualTo("Off");
        assertThat(sim.calls("UpdateRoutingControlStates").get(1).body()).contains("\"SafetyRulesToOverride\":[\"" + KEEP_GENESYS_SIDE + "\"]");
    }

    @Test
    void aRoutingControlTheClusterDoesNotHoldIsAPermanentRefusalNamingTheKey() {
        Map<String, String> p = settings();
        p.put("failover.dns.route53-arc.routing-control-arn.nice", PANEL + "/routingcontrol/9999999999999999");
        Route53ArcCutover arc = cutover(p);
        assertThatThrownBy(() -> arc.upsert("nice"))
                .isInstanceOfSatisfying(StepFailedException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("ResourceNotFoundException")
                .hasMessageContaining(PANEL + "/routingcontrol/9999999999999999")
                .hasMessageContaining("failover.dns.route53-arc.routing-control-arn");
        assertThat(sim.calls("UpdateRoutingControlStates")).hasSize(1);
        assertThat(sim.state(GENESYS)).isEqualTo("On");
    }

    @Test
    void anEndpointSignedForTheWrongRegionIsRefusedByItAndTheNextIsTried() {
        Map<String, String> p = settings();
        p.put("failover.dns.route53-arc.cluster-endpoints", sim.endpointUrl(0) + "@us-west-2," + sim.endpointUrl(1) + "@ap-southeast-2");
        Route53ArcCutover arc = cutover(p);
        arc.upsert("nice");
        assertThat(outcomes(sim.calls("UpdateRoutingControlStates")))
                .containsExactly("us-east-1 403 InvalidSignatureException", "ap-southeast-2 200");
        assertThat(sim.state(NICE)).isEqualTo("On");
    }

    @Test
    void everyEndpointRefusingTheSignatureIsAConfigurationErrorNotRetried() {
        Map<String, String> p = settings();
        p.put("failover.dns.route53-arc.cluster-endpoints", sim.endpointUrl(0) + "@us-west-2," + sim.endpointUrl(1) + "@eu-west-1");
        Route53ArcCutover arc = cutover(p);
        assertThatThrownBy(() -> arc.upsert("nice"))
                .isInstanceOfSatisfying(StepFailedException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("Credential should be scoped to a valid region")
                .hasMessageContaining("check the regions in failover.dns.route53-arc.cluster-endpoints");
        assertThat(sim.state(GENESYS)).isEqualTo("On");
    }

    @Test
    void alreadyInTheTargetStateReadsOnlyAndHolds() {
        sim.setState(NICE, "On");
        sim.setState(GENESYS, "Off");
        Route53ArcCutover arc = cutover(settings());
        StepState state = arc.read("nice");
        assertThat(state.holds()).isTrue();
        assertThat(sim.calls()).extracting(Call::operation).containsOnly("GetRoutingControlState");
        // both On is not the target either: the other must be Off
        sim.setState(GENESYS, "On");
        assertThat(arc.read("nice").holds()).isFalse();
    }

    @Test
    void theProviderIsWhatDnsCutoverCreatesForRoute53Arc() {
        try (DnsCutover created = DnsCutover.create(FailoverConfig.load(settings()::get))) {
            assertThat(created).isInstanceOf(Route53ArcCutover.class);
            assertThat(created.configured()).isTrue();
        }
    }
}
