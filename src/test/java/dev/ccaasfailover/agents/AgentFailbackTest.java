package dev.ccaasfailover.agents;

import dev.ccaasfailover.simulator.Simulators;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Failback (NICE -> Genesys) on the demo org with the shipped mappings: presence by PATCH, queues added per queue. */
class AgentFailbackTest {

    static Simulators sims;
    static RunningMiddleware app;

    @BeforeAll
    static void start() throws Exception {
        sims = Simulators.startDemo();
        Map<String, String> p = new java.util.HashMap<>(RunningMiddleware.vendorsOnly(sims));
        p.put("failover.agents.login-poll-ms", "200");
        app = RunningMiddleware.start(p);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        sims.close();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> sync(String direction, boolean dryRun) {
        return app.context().createProducerTemplate().requestBodyAndHeaders("direct:sync-agents", null,
                Map.of("direction", direction, "runId", "r-" + direction, "dryRun", dryRun), Map.class);
    }

    @SuppressWarnings("unchecked")
    @Test
    void failbackCarriesNiceStatesAndSkillsBackToGenesysAndIsIdempotent() {
        Map<String, Object> over = sync("failover", false);
        assertThat(over.get("outcome")).as(String.valueOf(over.get("detail"))).isEqualTo("done");
        // the demo agents were LoggedOut on NICE: they log in (not erin, Offline on Genesys) and get their mapped state
        for (int id : new int[] {1001, 1002, 1003, 1004, 1006}) {
            sims.nice().login(id);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(sims.nice().agentState(1003).outStateDescription()).isEqualTo("Break")); // carol was on Break
        assertThat(sims.nice().agentState(1005).stateName()).isEqualTo("LoggedOut");

        // while NICE ran the contact center: carol came back, alice went to lunch, frank got the billing skill
        sims.nice().setAgentState(1003, "Available", 0);
        sims.nice().setAgentState(1001, "Unavailable", 2); // code 2 = Meal
        sims.nice().assignSkill(1006, "4001", 1);
        // and Genesys lost presence when its region failed
        for (String u : new String[] {"u-alice.agent", "u-bob.builder", "u-carol.chen", "u-dave.diaz", "u-frank.fox"}) {
            sims.genesys().setPresence(u, "Offline");
        }

        Map<String, Object> dry = sync("failback", true);
        assertThat(dry.get("outcome")).as(String.valueOf(dry.get("detail"))).isEqualTo("done");
        assertThat(sims.genesys().agentById("u-carol.chen").orElseThrow().systemPresence()).isEqualTo("Offline");

        Map<String, Object> back = sync("failback", false);
        assertThat(back.get("outcome")).as(String.valueOf(back.get("detail"))).isEqualTo("done");
        assertThat(sims.genesys().agentById("u-carol.chen").orElseThrow().systemPresence()).isEqualTo("On Queue");
        assertThat(sims.genesys().agentById("u-alice.agent").orElseThrow().systemPresence()).isEqualTo("Meal");
        assertThat(sims.genesys().agentById("u-alice.agent").orElseThrow().presenceDefinitionId())
                .as("the System definition of Meal, not the org's Lunch that shares it")
                .isEqualTo(dev.ccaasfailover.simulator.GenesysSimulator.systemPresenceDefinitionId("Meal"));
        assertThat(sims.genesys().agentById("u-dave.diaz").orElseThrow().systemPresence()).isEqualTo("Meal");
        assertThat(sims.genesys().agentById("u-erin.evans").orElseThrow().systemPresence()).isEqualTo("Offline");
        assertThat(sims.genesys().queueMemberIds(Simulators.GENESYS_QUEUE_BILLING)).contains("u-frank.fox");
        assertThat((Map<String, Integer>) back.get("counts")).containsEntry("failed", 0).containsEntry("skipped", 1);

        Map<String, Object> again = sync("failback", false);
        assertThat(again.get("outcome")).as(String.valueOf(again.get("detail"))).isEqualTo("skipped");
        assertThat((Map<String, Integer>) again.get("counts")).containsEntry("updated", 0);
    }

    @Test
    void aPlatformWithoutConfigurationSkipsTheStepAndSaysWhyWithoutPretending() throws Exception {
        try (RunningMiddleware bare = RunningMiddleware.start(Map.of("failover.dns.provider", "none"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> s = bare.context().createProducerTemplate().requestBodyAndHeaders("direct:sync-agents", null,
                    Map.of("direction", "failover", "runId", "r1", "dryRun", false), Map.class);
            assertThat(s.get("outcome")).isEqualTo("skipped");
            assertThat(s.get("detail").toString()).isEqualTo("agents not moved: API not configured for genesys"
                    + " (failover.platform.genesys.base-url, token-url) and nice (failover.platform.nice.base-url, token-url)");
        }
    }
}
