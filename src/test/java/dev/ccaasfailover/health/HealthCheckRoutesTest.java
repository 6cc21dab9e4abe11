package dev.ccaasfailover.health;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.simulator.Simulators;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real routes (routes/health-*.camel.yaml) against the simulated platforms: the guide's trap — Genesys's API
 * answers 200 while its SIP trunk is dead — must still mark Genesys Down and reach direct:platform-down once.
 */
class HealthCheckRoutesTest {

    static Simulators sims;
    static RunningMiddleware app;

    @BeforeAll
    static void start() throws Exception {
        sims = Simulators.startDemo();
        Map<String, String> props = new HashMap<>(sims.middlewareProperties());
        props.put("failover.dns.provider", "none");
        // A 5 s interval: only fast confirmation can confirm the outage within this test's waits (3 x 5 s > 10 s).
        props.put("failover.health.interval-ms", "5000");
        props.put("failover.health.sip-interval-ms", "5000");
        props.put("failover.health.timeout-ms", "400");
        props.put("failover.health.confirm-interval-ms", "100");
        app = RunningMiddleware.start(props);
    }

    @AfterAll
    static void stop() {
        app.close();
        sims.close();
    }

    JsonNode status() throws Exception {
        return Json.MAPPER.readTree(app.get("/status", RunningMiddleware.ADMIN_TOKEN).body());
    }

    @Test
    void sipDeadWhileApiHealthyStillMarksPlatformDownAndTriggersOnce() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            JsonNode s = status();
            return java.util.stream.Stream.of("genesys", "nice").allMatch(p -> java.util.stream.Stream.of("api", "sip")
                    .allMatch(l -> s.at("/platforms/" + p + "/layers/" + l + "/status").asText().equals("Up")));
        });
        JsonNode up = status();
        assertThat(up.at("/platforms/genesys/layers/api/status").asText()).isEqualTo("Up");
        assertThat(up.at("/platforms/genesys/layers/sip/rttMs").isNumber()).isTrue();
        assertThat(up.at("/platforms/genesys/layers/sip/rttEwmaMs").isNumber()).isTrue();

        sims.genesysTrunk().silent();
        await().atMost(Duration.ofSeconds(10)).until(() -> app.exchangesCompleted("failover-on-platform-down") == 1);

        JsonNode s = status();
        assertThat(s.at("/platforms/genesys/status").asText()).isEqualTo("Down");
        assertThat(s.at("/platforms/genesys/layers/sip/status").asText()).isEqualTo("Down");
        assertThat(s.at("/platforms/genesys/layers/api/status").asText()).isEqualTo("Up");
        assertThat(s.at("/platforms/nice/status").asText()).isEqualTo("Up");
        assertThat(sims.genesys().count("GET", "/api/v2/organizations/me")).isGreaterThan(0);

        String metrics = app.get("/observe/metrics", null).body();
        assertThat(metrics).contains("failover_health_layer_status{layer=\"sip\",platform=\"genesys\"} 2.0")
                .contains("failover_health_probe_rtt_seconds_bucket");

        sims.genesysTrunk().answer();
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        // Recovery waits for up-threshold answers at the normal interval, and the Down is reported once.
        assertThat(app.exchangesCompleted("failover-on-platform-recovered")).isZero();
        assertThat(app.exchangesCompleted("failover-on-platform-down")).isEqualTo(1);
    }
}
