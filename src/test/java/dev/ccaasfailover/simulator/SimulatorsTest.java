package dev.ccaasfailover.simulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SimulatorsTest {

    @Test
    void demoOrganisationIsSeededAndReachable() throws Exception {
        try (Simulators sims = Simulators.startDemo()) {
            assertThat(sims.genesys().trunkEnabled(Simulators.TRUNK_BASE_SETTINGS_ID)).isTrue();
            assertThat(sims.route53().record(Simulators.HOSTED_ZONE_ID, Simulators.RECORD_NAME, "CNAME").orElseThrow())
                    .satisfies(r -> {
                        assertThat(r.ttl()).isEqualTo(60);
                        assertThat(r.values()).containsExactly(Simulators.GENESYS_TRUNK_HOST);
                    });
            String token = SimulatorHttp.genesysToken(sims.genesys());
            var users = SimulatorHttp.json(new SimulatorHttp(sims.genesys().baseUrl()).get("/api/v2/users?expand=presence", token));
            assertThat(users.path("total").asInt()).isEqualTo(6);
            assertThat(sims.nice().agentState(1001).stateName()).isEqualTo("LoggedOut");
            assertThat(sims.genesys().port()).isNotIn(sims.nice().port(), sims.route53().port());
        }
    }
}
