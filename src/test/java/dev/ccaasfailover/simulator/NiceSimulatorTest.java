package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;

import static dev.ccaasfailover.simulator.SimulatorHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

class NiceSimulatorTest {

    private static final String API = NiceSimulator.API_BASE_PATH;

    private NiceSimulator sim;
    private SimulatorHttp http;

    @BeforeEach
    void start() {
        sim = new NiceSimulator(0).start();
        http = new SimulatorHttp(sim.baseUrl());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private String token() throws Exception {
        HttpResponse<String> response = http.postForm("/auth/token", sim.clientId(), sim.clientSecret(),
                "grant_type", "password", "username", sim.accessKeyId(), "password", sim.accessKeySecret());
        assertThat(response.statusCode()).isEqualTo(200);
        return json(response).path("access_token").asText();
    }

    @Test
    void passwordGrantWithAccessKeyInBasicOrFormFields() throws Exception {
        HttpResponse<String> basic = http.postForm("/auth/token", sim.clientId(), sim.clientSecret(),
                "grant_type", "password", "username", sim.accessKeyId(), "password", sim.accessKeySecret());
        JsonNode body = json(basic);
        assertThat(body.path("token_type").asText()).isEqualTo("bearer");
        assertThat(body.path("expires_in").asInt()).isEqualTo(3600);
        assertThat(body.path("refresh_token").asText()).isNotBlank();
        String claims = new String(Base64.getUrlDecoder().decode(body.path("id_token").asText().split("\\.")[1]));
        assertThat(SimulatorHttp.MAPPER.readTree(claims).path("tenantId").asText()).isEqualTo(sim.tenantId());

        HttpResponse<String> fields = http.postForm("/auth/token", null, null, "grant_type", "password",
                "client_id", sim.clientId(), "client_secret", sim.clientSecret(),
                "username", sim.accessKeyId(), "password", sim.accessKeySecret());
        assertThat(fields.statusCode()).isEqualTo(200);

        HttpResponse<String> badKey = http.postForm("/auth/token", sim.clientId(), sim.clientSecret(),
                "grant_type", "password", "username", sim.accessKeyId(), "password", "wrong");
        assertThat(badKey.statusCode()).isEqualTo(401);
        assertThat(http.postForm("/auth/token", "nobody", "x", "grant_type", "password").statusCode()).isEqualTo(401);
    }

    @Test
    void discoveryPointsAtTheSimulator() throws Exception {
        JsonNode config = json(http.get("/.well-known/cxone-configuration?tenantId=" + sim.tenantId(), null));
        assertThat(config.path("api_endpoint").asText()).isEqualTo(sim.baseUrl());
        assertThat(config.path("auth_endpoint").asText()).isEqualTo(sim.baseUrl());
        assertThat(config.path("tenantId").asText()).isEqualTo(sim.tenantId());
        assertThat(config.path("area").asText()).isNotBlank();
    }

    @Test
    void apiNeedsABearerTokenAndMatchesTheBasePathCaseInsensitively() throws Exception {
        sim.addAgent(1, "one", "one@example.com", "10");
        assertThat(http.get(API + "/agents?top=1", null).statusCode()).isEqualTo(401);
        String token = token();
        assertThat(http.get(API + "/agents?top=1", token).statusCode()).isEqualTo(200);
        assertThat(http.get("/InContactAPI/services/" + NiceSimulator.API_VERSION + "/agents?top=1", token).statusCode())
                .isEqualTo(200);
    }

    @Test
    void agentsPageWithSkipTopAndLinks() throws Exception {
        IntStream.rangeClosed(1, 5000).forEach(i -> sim.addAgent(i, "agent" + i, "first.last" + i + "@example.com", "10"));
        String token = token();
        JsonNode first = json(http.get(API + "/agents?skip=0&top=2&isActive=true", token));
        assertThat(first.path("totalRecords").asInt()).isEqualTo(5000);
        assertThat(first.path("businessUnitId").asInt()).isEqualTo(sim.businessUnitId());
        JsonNode agent = first.path("agents").get(0);
        assertThat(agent.path("agentId").isInt()).isTrue();
        assertThat(agent.path("agentId").asInt()).isEqualTo(1);
        assertThat(agent.path("emailAddress").asText()).isEqualTo("first.last1@example.com");
        assertThat(agent.path("firstName").asText()).isEqualTo("First");
        assertThat(agent.path("teamId").asInt()).isEqualTo(10);
        assertThat(first.at("/_links/next").asText()).contains("skip=2");
        assertThat(first.at("/_links/previous").isNull()).isTrue();

        List<Integer> ids = new ArrayList<>();
        String next = sim.apiBaseUrl() + "/agents?top=1000&skip=0";
        while (next != null) {
            JsonNode page = json(http.get(next.substring(sim.baseUrl().length()), token));
            page.path("agents").forEach(a -> ids.add(a.path("agentId").asInt()));
            next = page.at("/_links/next").isNull() ? null : page.at("/_links/next").asText();
        }
        assertThat(ids).hasSize(5000).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void stateCanOnlyBeSetInsideAnAgentSessionAndOnlyToAvailableOrUnavailableWithAValidCode() throws Exception {
        sim.addAgent(7, "seven", "seven@example.com", "10");
        String token = token();
        String path = API + "/agents/7/state";
        assertThat(sim.agentState(7).stateName()).isEqualTo("LoggedOut");

        // LoggedOut: refused, state untouched
        assertThat(http.sendJson("POST", path + "?state=Available", token, "").statusCode()).isEqualTo(409);
        assertThat(sim.agentState(7).stateName()).isEqualTo("LoggedOut");

        // the agent logs in: NICE's default state at session start is Unavailable with no code
        HttpResponse<String> session = http.sendJson("POST", API + "/agent-sessions?asAgentId=7&stationPhoneNumber=5550100", token, "");
        assertThat(session.statusCode()).isEqualTo(202);
        String sessionId = json(session).path("sessionId").asText();
        assertThat(sim.agentState(7).stateName()).isEqualTo("Unavailable");
        assertThat(sim.agentState(7).outStateId()).isZero();
        assertThat(http.sendJson("POST", API + "/agent-sessions?asAgentId=7&stationPhoneNumber=5550100", token, "").statusCode())
                .isEqualTo(409);

        assertThat(http.sendJson("POST", path + "?state=Available", token, "").statusCode()).isEqualTo(200);
        assertThat(sim.agentState(7).stateName()).isEqualTo("Available");

        assertThat(http.sendJson("POST", path + "?state=Unavailable&outStateId=1", token, "").statusCode()).isEqualTo(200);
        assertThat(sim.agentState(7).outStateDescription()).isEqualTo("Break");

        assertThat(http.sendJson("POST", path + "?state=Unavailable&outStateId=999", token, "").statusCode()).isEqualTo(400);
        assertThat(http.sendJson("POST", path + "?state=OnBreak", token, "").statusCode()).isEqualTo(400);

        assertThat(http.sendJson("POST", path, token, "{\"state\":\"Unavailable\",\"reason\":\"Meal\"}").statusCode())
                .isEqualTo(200);
        JsonNode state = json(http.get(API + "/agents/7/states", token)).path("agentStates").get(0);
        assertThat(state.path("agentStateName").asText()).isEqualTo("Unavailable");
        assertThat(state.path("outStateDescription").asText()).isEqualTo("Meal");
        assertThat(state.path("outStateId").asInt()).isEqualTo(2);
        assertThat(state.path("startDate").asText()).isNotBlank();
        assertThat(state.path("sessionStartTime").asText()).isNotBlank();

        // the agent's own change inside the session, then logout
        assertThat(http.sendJson("POST", API + "/agent-sessions/" + sessionId + "/state?state=Available", token, "").statusCode())
                .isEqualTo(202);
        assertThat(sim.agentState(7).stateName()).isEqualTo("Available");
        assertThat(http.sendJson("DELETE", API + "/agent-sessions/" + sessionId, token, "").statusCode()).isEqualTo(202);
        assertThat(sim.agentState(7).stateName()).isEqualTo("LoggedOut");
        assertThat(http.sendJson("POST", path + "?state=Unavailable&outStateId=1", token, "").statusCode()).isEqualTo(409);

        assertThat(json(http.get(API + "/agents/states", token)).path("agentStates")).hasSize(1);
        assertThat(http.sendJson("POST", API + "/agents/99/state?state=Available", token, "").statusCode()).isEqualTo(404);
    }

    @Test
    void aCodeNotAssignedToTheAgentsTeamAndAnAcwCodeWithoutAContactAreRefused() throws Exception {
        sim.addTeam("10", "Ten");
        sim.addTeam("20", "Twenty");
        sim.addUnavailableCode(7, "ACW", true);
        sim.addAgent(7, "seven", "seven@example.com", "20");
        sim.unassignUnavailableCode("20", sim.unavailableCodeId("Meal"));
        sim.login(7);
        String token = token();
        String path = API + "/agents/7/state?state=Unavailable&outStateId=";

        assertThat(http.sendJson("POST", path + sim.unavailableCodeId("Meal"), token, "").statusCode()).isEqualTo(400);
        assertThat(http.sendJson("POST", path + 7, token, "").statusCode()).isEqualTo(409);
        assertThat(sim.agentState(7).outStateId()).isZero();
        sim.setAgentState(7, "InboundContact", 0);
        assertThat(http.sendJson("POST", path + 7, token, "").statusCode()).isEqualTo(200);
        assertThat(http.sendJson("POST", path + sim.unavailableCodeId("Break"), token, "").statusCode()).isEqualTo(200);

        JsonNode team20 = json(http.get(API + "/teams/20/unavailable-codes", token));
        assertThat(team20.path("teamName").asText()).isEqualTo("Twenty");
        List<String> names20 = new ArrayList<>();
        team20.path("unavailableCodes").forEach(c -> names20.add(c.path("outstateName").asText()));
        assertThat(names20).doesNotContain("Meal").contains("Break", "ACW");
        List<String> names10 = new ArrayList<>();
        json(http.get(API + "/teams/10/unavailable-codes", token)).path("unavailableCodes")
                .forEach(c -> names10.add(c.path("outstateName").asText()));
        assertThat(names10).contains("Meal");
        assertThat(http.get(API + "/teams/99/unavailable-codes", token).statusCode()).isEqualTo(404);
    }

    @Test
    void agentStatesUpdatedSinceListsOnlyAgentsWhoseStateChangedSince() throws Exception {
        sim.addAgent(1, "one", "one@example.com", "10");
        sim.addAgent(2, "two", "two@example.com", "10");
        String token = token();
        JsonNode all = json(http.get(API + "/agents/states", token));
        assertThat(all.path("agentStates")).hasSize(2);
        String since = all.path("lastPollTime").asText();
        Thread.sleep(5); // the simulator's clock must move past lastPollTime
        sim.login(2);
        JsonNode changed = json(http.get(API + "/agents/states?updatedSince=" + since, token));
        assertThat(changed.path("agentStates")).hasSize(1);
        assertThat(changed.path("agentStates").get(0).path("agentId").asInt()).isEqualTo(2);
        assertThat(changed.path("agentStates").get(0).path("agentStateName").asText()).isEqualTo("Unavailable");
        assertThat(http.get(API + "/agents/states?updatedSince=yesterday", token).statusCode()).isEqualTo(400);
    }

    @Test
    void unavailableCodeListsAnswerTheDocumentedShapes() throws Exception {
        String token = token();
        JsonNode codes = json(http.get(API + "/unavailable-codes", token)).path("unavailableCodes");
        assertThat(codes).hasSize(6);
        assertThat(codes.get(0).path("outStateName").asText()).isEqualTo("Break");
        assertThat(codes.get(0).path("outStateId").asInt()).isEqualTo(1);
        assertThat(codes.get(0).has("isAcw")).isTrue();
        assertThat(codes.get(0).has("name")).isFalse();
        JsonNode one = json(http.get(API + "/unavailable-codes/1", token)).path("unavailableCode");
        assertThat(one.path("id").asInt()).isEqualTo(1);
        assertThat(one.path("name").asText()).isEqualTo("Break");
        assertThat(one.has("isACW")).isTrue();
    }

    @Test
    void skillActivityReportsSeededFigures() throws Exception {
        sim.addSkill("4001", "Billing");
        sim.addSkill("4002", "Support");
        sim.setSkillActivity("4001", 10, 6, 2, 1, 4);
        String token = token();

        JsonNode all = json(http.get(API + "/skills/activity", token));
        assertThat(all.path("totalRecords").asInt()).isEqualTo(2);
        assertThat(all.has("_links")).isTrue();
        JsonNode billing = all.path("skillActivity").get(0);
        assertThat(billing.path("skillId").asInt()).isEqualTo(4001);
        assertThat(billing.path("agentsLoggedIn").asInt()).isEqualTo(10);
        assertThat(billing.path("agentsWorking").asInt()).isEqualTo(6);
        assertThat(billing.path("agentsACW").asInt()).isEqualTo(2);
        assertThat(billing.path("agentsAvailable").asInt()).isEqualTo(1);
        assertThat(billing.path("agentsUnavailable").asInt()).isEqualTo(1);
        assertThat(billing.path("queueCount").asInt()).isEqualTo(4);

        JsonNode one = json(http.get(API + "/skills/4002/activity", token));
        assertThat(one.path("skillActivity").get(0).path("skillName").asText()).isEqualTo("Support");
        assertThat(http.get(API + "/skills/1/activity", token).statusCode()).isEqualTo(404);
    }
}
