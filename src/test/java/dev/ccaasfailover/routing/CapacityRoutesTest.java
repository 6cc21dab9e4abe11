package dev.ccaasfailover.routing;

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

/** GET /routing/queues/{queueId}/decision over HTTP, fed by the NICE simulator's skills/activity (more than one page). */
class CapacityRoutesTest {

    static Simulators sims;
    static RunningMiddleware app;

    @BeforeAll
    static void start() throws Exception {
        sims = Simulators.startDemo();
        // more skills than one page of skills/activity, all sorting before Billing (4001): its figures are on page 2
        for (int i = 0; i < 120; i++) {
            sims.nice().addSkill(String.valueOf(1000 + i), "Other " + i);
        }
        Map<String, String> props = new HashMap<>(RunningMiddleware.vendorsOnly(sims));
        props.put("failover.capacity.poll-ms", "200");
        props.put("failover.capacity.callback-queue-id", "7000");
        app = RunningMiddleware.start(props);
    }

    @AfterAll
    static void stop() {
        app.close();
        sims.close();
    }

    JsonNode decision(String queueId) throws Exception {
        return Json.MAPPER.readTree(app.get("/routing/queues/" + queueId + "/decision", RunningMiddleware.CONTEXT_TOKEN).body());
    }

    @Test
    void licenceExhaustionSendsCallersToCallbackAndRoomSendsThemToAnAgent() throws Exception {
        sims.nice().setSkillActivity(Simulators.NICE_SKILL_BILLING, 10, 8, 1, 1, 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> decision(Simulators.GENESYS_QUEUE_BILLING).path("target").asText().equals("callback"));
        JsonNode d = decision(Simulators.GENESYS_QUEUE_BILLING);
        assertThat(d.path("skillId").asText()).isEqualTo(Simulators.NICE_SKILL_BILLING);
        assertThat(d.path("utilization").asDouble()).isEqualTo(0.9);
        assertThat(d.path("callbackQueueId").asText()).isEqualTo("7000");
        assertThat(d.path("stale").asBoolean()).isFalse();
        assertThat(sims.nice().requests()).anySatisfy(r -> {
            assertThat(r.path()).isEqualTo("/incontactapi/services/v31.0/skills/activity");
            assertThat(r.query()).contains("skip=100");
        });

        sims.nice().setSkillActivity(Simulators.NICE_SKILL_BILLING, 10, 4, 1, 5, 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> decision(Simulators.GENESYS_QUEUE_BILLING).path("target").asText().equals("agent"));
    }

    @Test
    void theDecisionNeedsTheContextRoleAndAKnownQueue() throws Exception {
        assertThat(app.get("/routing/queues/q-billing/decision", null).statusCode()).isEqualTo(401);
        assertThat(app.get("/routing/queues/q-billing/decision", RunningMiddleware.INGEST_TOKEN).statusCode()).isEqualTo(403);
        var unknown = app.get("/routing/queues/q-nope/decision", RunningMiddleware.CONTEXT_TOKEN);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(unknown.body()).path("field").asText()).isEqualTo("queueId");
    }
}
