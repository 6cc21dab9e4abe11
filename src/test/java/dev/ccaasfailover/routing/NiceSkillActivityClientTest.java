package dev.ccaasfailover.routing;

import dev.ccaasfailover.agents.AgentMappings;
import dev.ccaasfailover.agents.RequestWindow;
import dev.ccaasfailover.agents.VendorHttp;
import dev.ccaasfailover.config.FailoverConfig.CapacitySettings;
import dev.ccaasfailover.config.FailoverConfig.Utilization;
import dev.ccaasfailover.security.OAuthTokenSource;
import dev.ccaasfailover.simulator.NiceSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * NICE's skills/activity is paged: a skill past the first page gets its figures, and the licence-exhaustion guard
 * applies to it (the shipped queues.yaml maps q-billing to skill 4001, here behind 250 other skills).
 */
class NiceSkillActivityClientTest {

    NiceSimulator nice;
    NiceSkillActivityClient client;

    @BeforeEach
    void start() {
        nice = new NiceSimulator(0).start();
        for (int i = 0; i < 250; i++) {
            nice.addSkill(String.valueOf(1000 + i), "Other " + i); // sorts before 4001
        }
        nice.addSkill("4001", "Billing");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Clock clock = Clock.systemUTC();
        client = new NiceSkillActivityClient(new VendorHttp("nice", nice.apiBaseUrl(), OAuthTokenSource.passwordGrant("nice",
                URI.create(nice.tokenUrl()), nice.clientId(), nice.clientSecret(), nice.accessKeyId(), nice.accessKeySecret(), http, clock),
                http, new RequestWindow(1000, Duration.ofMinutes(1), clock, RequestWindow.Sleeper.REAL), 3, Duration.ofSeconds(10), clock,
                RequestWindow.Sleeper.REAL), () -> dev.ccaasfailover.testsupport.RouteEndpoints.of("nice"));
    }

    @AfterEach
    void stop() {
        nice.close();
    }

    @Test
    void everyPageIsReadAndASkillPastTheFirstPageIsGuarded() {
        nice.setSkillActivity("4001", 10, 8, 1, 1, 3);
        var all = client.read();
        assertThat(all.path("skillActivity")).hasSize(251);
        assertThat(nice.count("GET", NiceSimulator.API_BASE_PATH + "/skills/activity")).isEqualTo(3);

        CapacityRouter router = new CapacityRouter(new CapacitySettings(0.8, "7000", Utilization.OCCUPANCY, 10000),
                AgentMappings.load(Path.of("mappings"), "SystemMaintenance").queues(), Clock.systemUTC());
        router.update(all);
        Map<String, Object> d = router.decision("q-billing");
        assertThat(d).containsEntry("skillId", "4001").containsEntry("target", "callback").containsEntry("utilization", 0.9);

        nice.setSkillActivity("4001", 10, 4, 1, 5, 0);
        router.update(client.read());
        assertThat(router.decision("q-billing")).containsEntry("target", "agent");
    }
}
