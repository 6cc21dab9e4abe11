package dev.ccaasfailover.routing;

import dev.ccaasfailover.agents.AgentMappings;
import dev.ccaasfailover.config.FailoverConfig.CapacitySettings;
import dev.ccaasfailover.config.FailoverConfig.Utilization;
import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decision alone, on the shipped mappings/queues.yaml (q-billing -> skill 4001). */
class CapacityRouterTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

    CapacityRouter router(Utilization formula) {
        return new CapacityRouter(new CapacitySettings(0.8, "7000", formula, 10000),
                AgentMappings.load(Path.of("mappings"), "SystemMaintenance").queues(), clock);
    }

    static com.fasterxml.jackson.databind.JsonNode activity(int loggedIn, int working, int acw, int queued) throws Exception {
        return Json.MAPPER.readTree("{\"skillActivity\":[{\"skillId\":4001,\"skillName\":\"Billing\",\"agentsLoggedIn\":" + loggedIn
                + ",\"agentsWorking\":" + working + ",\"agentsACW\":" + acw + ",\"agentsAvailable\":" + (loggedIn - working - acw)
                + ",\"queueCount\":" + queued + "}]}");
    }

    @Test
    void aboveTheThresholdTheCallGoesToCallback() throws Exception {
        CapacityRouter r = router(Utilization.OCCUPANCY);
        r.update(activity(10, 8, 1, 0));
        Map<String, Object> d = r.decision("q-billing");
        assertThat(d).containsEntry("skillId", "4001").containsEntry("target", "callback").containsEntry("utilization", 0.9)
                .containsEntry("threshold", 0.8).containsEntry("callbackQueueId", "7000").containsEntry("stale", false);
    }

    @Test
    void atTheThresholdTheCallStillGoesToAnAgent() throws Exception {
        CapacityRouter r = router(Utilization.OCCUPANCY);
        r.update(activity(10, 7, 1, 5));
        assertThat(r.decision("q-billing")).containsEntry("target", "agent").containsEntry("utilization", 0.8);
    }

    @Test
    void queuePressureCountsTheContactsAlreadyWaiting() throws Exception {
        CapacityRouter r = router(Utilization.QUEUE_PRESSURE);
        r.update(activity(10, 7, 1, 5));
        assertThat(r.decision("q-billing")).containsEntry("target", "callback").containsEntry("utilization", 1.3);
    }

    @Test
    void noAgentLoggedInMeansNoCapacity() throws Exception {
        CapacityRouter r = router(Utilization.OCCUPANCY);
        r.update(activity(0, 0, 0, 0));
        assertThat(r.decision("4001")).containsEntry("target", "callback").containsEntry("utilization", 1.0);
    }

    @Test
    void withoutFiguresTheAnswerIsAgentMarkedStaleAndOldFiguresTurnStale() throws Exception {
        CapacityRouter r = router(Utilization.OCCUPANCY);
        assertThat(r.decision("q-billing")).containsEntry("target", "agent").containsEntry("stale", true);
        r.update(activity(10, 2, 0, 0));
        clock.advance(Duration.ofSeconds(31));
        assertThat(r.decision("q-billing")).containsEntry("stale", true).containsEntry("target", "agent");
    }

    @Test
    void anUnknownQueueIs404NamingIt() {
        assertThatThrownBy(() -> router(Utilization.OCCUPANCY).decision("q-unknown"))
                .isInstanceOf(ApiException.class).hasMessageContaining("q-unknown")
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(404));
    }
}
