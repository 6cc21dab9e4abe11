package dev.ccaasfailover.agents;

import dev.ccaasfailover.simulator.NiceSimulator;
import dev.ccaasfailover.simulator.Simulators;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Unavailable codes come from the agent's team: a code the team lacks fails that agent with the reason, nobody else. */
class NiceUnavailableCodesTest {

    static Simulators sims;
    static RunningMiddleware app;

    @BeforeAll
    static void start() throws Exception {
        sims = Simulators.startDemo();
        app = RunningMiddleware.start(RunningMiddleware.vendorsOnly(sims));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        sims.close();
    }

    @SuppressWarnings("unchecked")
    @Test
    void aCodeNotAssignedToTheAgentsTeamFailsThatAgentAndNamesTheTeamWhileTheOthersGetTheirState() {
        NiceSimulator nice = sims.nice();
        nice.unassignUnavailableCode("10", nice.unavailableCodeId("Meal"));
        nice.login(1003); // carol, Break on Genesys
        nice.login(1004); // dave, Meal on Genesys
        nice.clearRequests();

        Map<String, Object> s = app.context().createProducerTemplate().requestBodyAndHeaders("direct:sync-agents", null,
                Map.of("direction", "failover", "runId", "r-codes", "dryRun", false), Map.class);

        assertThat(s.get("outcome")).isEqualTo("failed");
        List<Map<String, Object>> agents = (List<Map<String, Object>>) s.get("agents");
        Map<String, Object> dave = agents.stream().filter(a -> a.get("agent").equals("dave.diaz@example.com")).findFirst().orElseThrow();
        assertThat(dave.get("outcome")).isEqualTo("failed");
        assertThat(dave.get("reason").toString()).contains("'Meal' is not assigned to team 10");
        assertThat(nice.agentState(1004).outStateId()).isZero(); // left in its session-start state, not guessed
        assertThat(nice.agentState(1003).outStateDescription()).isEqualTo("Break");
        assertThat(((Map<String, Integer>) s.get("counts")).get("failed")).isEqualTo(1);
        // one read of the team's codes for the whole run, none of the business unit's id/name shape
        assertThat(nice.count("GET", NiceSimulator.API_BASE_PATH + "/teams/10/unavailable-codes")).isEqualTo(1);
    }
}
