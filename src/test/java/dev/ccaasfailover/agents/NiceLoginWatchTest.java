package dev.ccaasfailover.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The watch's one judgement: is the agent still in the state its session started in (ours to replace)? */
class NiceLoginWatchTest {

    private static JsonNode seen(String state, int outStateId, String sessionStart, String startDate) throws Exception {
        return Json.MAPPER.readTree("{\"agentStateName\":\"" + state + "\",\"outStateId\":" + outStateId
                + ",\"sessionStartTime\":" + (sessionStart == null ? "null" : "\"" + sessionStart + "\"")
                + ",\"startDate\":\"" + startDate + "\"}");
    }

    @Test
    void nicesSessionStartStateIsUnavailableWithoutACodeUnchangedSinceLogin() throws Exception {
        assertThat(NiceLoginWatch.atSessionStart(seen("Unavailable", 0, "2026-12-03T10:00:00Z", "2026-12-03T10:00:00.400Z"))).isTrue();
        assertThat(NiceLoginWatch.atSessionStart(seen("LoggedIn", 0, "2026-12-03T10:00:00Z", "2026-12-03T10:00:00Z"))).isTrue();
    }

    @Test
    void anAgentWhoAlreadyChoseAStateOrIsOnAContactIsNotOursToChange() throws Exception {
        assertThat(NiceLoginWatch.atSessionStart(seen("Available", 0, "2026-12-03T10:00:00Z", "2026-12-03T10:00:00Z"))).isFalse();
        assertThat(NiceLoginWatch.atSessionStart(seen("Unavailable", 2, "2026-12-03T10:00:00Z", "2026-12-03T10:00:00Z"))).isFalse();
        assertThat(NiceLoginWatch.atSessionStart(seen("InboundContact", 0, "2026-12-03T10:00:00Z", "2026-12-03T10:00:03Z"))).isFalse();
        // went Unavailable (no reason) again by choice a minute after logging in
        assertThat(NiceLoginWatch.atSessionStart(seen("Unavailable", 0, "2026-12-03T10:00:00Z", "2026-12-03T10:01:00Z"))).isFalse();
    }

    @Test
    void withoutASessionStartTimeTheDefaultStateIsTakenAsTheSessionsOwn() throws Exception {
        assertThat(NiceLoginWatch.atSessionStart(seen("Unavailable", 0, null, "2026-12-03T10:01:00Z"))).isTrue();
    }
}
