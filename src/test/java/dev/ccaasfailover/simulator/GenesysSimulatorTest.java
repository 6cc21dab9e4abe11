package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.ccaasfailover.simulator.SimulatorHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GenesysSimulatorTest {

    private GenesysSimulator sim;
    private SimulatorHttp http;

    @BeforeEach
    void start() {
        sim = new GenesysSimulator(0).start();
        http = new SimulatorHttp(sim.baseUrl());
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void clientCredentialsTokenOpensTheApi() throws Exception {
        HttpResponse<String> tokenResponse = http.postForm("/oauth/token", sim.clientId(), sim.clientSecret(),
                "grant_type", "client_credentials");
        assertThat(tokenResponse.statusCode()).isEqualTo(200);
        JsonNode token = json(tokenResponse);
        assertThat(token.path("token_type").asText()).isEqualTo("bearer");
        assertThat(token.path("expires_in").asInt()).isEqualTo(86_400);

        HttpResponse<String> org = http.get("/api/v2/organizations/me", token.path("access_token").asText());
        assertThat(org.statusCode()).isEqualTo(200);
        assertThat(json(org).path("state").asText()).isEqualTo("active");
        assertThat(json(org).path("id").asText()).isEqualTo(sim.orgId());
        assertThat(sim.count("POST", "/oauth/token")).isEqualTo(1);
    }

    @Test
    void wrongClientSecretIsInvalidClient() throws Exception {
        HttpResponse<String> response = http.postForm("/oauth/token", sim.clientId(), "wrong", "grant_type", "client_credentials");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void apiNeedsAValidUnexpiredBearerToken() throws Exception {
        assertThat(http.get("/api/v2/organizations/me", null).statusCode()).isEqualTo(401);
        assertThat(http.get("/api/v2/organizations/me", "made-up").statusCode()).isEqualTo(401);

        sim.setTokenLifetimeSeconds(1);
        String token = SimulatorHttp.genesysToken(sim);
        assertThat(http.get("/api/v2/organizations/me", token).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> http.get("/api/v2/organizations/me", token).statusCode() == 401);
        assertThat(json(http.get("/api/v2/organizations/me", token)).path("code").asText()).isEqualTo("bad.credentials");
    }

    @Test
    void trunkBaseSettingsPutNeedsTheCurrentVersion() throws Exception {
        sim.addTrunkBaseSettings("tbs-1", "Carrier", true);
        String token = SimulatorHttp.genesysToken(sim);
        String path = "/api/v2/telephony/providers/edges/trunkbasesettings/tbs-1";

        ObjectNode trunk = (ObjectNode) json(http.get(path, token));
        assertThat(trunk.path("version").asInt()).isEqualTo(1);
        assertThat(trunk.path("trunkType").asText()).isEqualTo("EXTERNAL");
        assertThat(trunk.at("/properties/trunk_enabled/value/instance").asBoolean()).isTrue();

        ((ObjectNode) trunk.at("/properties/trunk_enabled/value")).put("instance", false);
        HttpResponse<String> put = http.sendJson("PUT", path, token, trunk.toString());
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(json(put).path("version").asInt()).isEqualTo(2);
        assertThat(sim.trunkEnabled("tbs-1")).isFalse();

        HttpResponse<String> stale = http.sendJson("PUT", path, token, trunk.toString()); // still version 1
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(json(stale).path("code").asText()).isEqualTo("general.conflict");
        assertThat(sim.trunkVersion("tbs-1")).isEqualTo(2);

        assertThat(http.get("/api/v2/telephony/providers/edges/trunkbasesettings/nope", token).statusCode()).isEqualTo(404);
    }

    @Test
    void aStalePutIsAnsweredAsConfiguredAndWritesOnlyTheWritableFields() throws Exception {
        sim.addTrunkBaseSettings("tbs-1", "Carrier", true);
        String token = SimulatorHttp.genesysToken(sim);
        String path = "/api/v2/telephony/providers/edges/trunkbasesettings/tbs-1";
        ObjectNode trunk = (ObjectNode) json(http.get(path + "?ignoreHidden=true", token));
        assertThat(trunk.path("dateModified").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(http.get(path + "?ignoreHidden=yes", token).statusCode()).isEqualTo(400);
        ObjectNode stale = trunk.deepCopy().put("version", 0);
        sim.setStaleVersionAnswer(400);
        HttpResponse<String> r400 = http.sendJson("PUT", path, token, stale.toString());
        assertThat(r400.statusCode()).isEqualTo(400);
        assertThat(json(r400).path("message").asText()).contains("does not match the current version");
        sim.setStaleVersionAnswer(408);
        assertThat(http.sendJson("PUT", path, token, stale.toString()).statusCode()).isEqualTo(408);

        // the server keeps what a PUT does not write: state and dates cannot be overwritten
        trunk.put("state", "deleted").put("dateCreated", "2001-01-01T00:00:00.000Z");
        JsonNode saved = json(http.sendJson("PUT", path, token, trunk.toString()));
        assertThat(saved.path("state").asText()).isEqualTo("active");
        assertThat(saved.path("dateCreated").asText()).isNotEqualTo("2001-01-01T00:00:00.000Z");
        assertThat(saved.path("version").asInt()).isEqualTo(2);
    }

    @Test
    void presenceDefinitionsListUserEntriesThatShareASystemPresence() throws Exception {
        String token = SimulatorHttp.genesysToken(sim);
        JsonNode defs = json(http.get("/api/v2/presence/definitions", token)).path("entities");
        java.util.List<JsonNode> meal = new java.util.ArrayList<>();
        defs.forEach(d -> {
            if (d.path("systemPresence").asText().equals("Meal")) {
                meal.add(d);
            }
        });
        assertThat(meal).extracting(d -> d.path("type").asText()).containsExactly("User", "System");
    }

    @Test
    void usersPageWithPresenceAndRoutingStatusExpanded() throws Exception {
        sim.addAgent("u-1", "One", "one@example.com", "Available", "IDLE");
        sim.addAgent("u-2", "Two", "two@example.com", "On Queue", "INTERACTING");
        sim.addAgent("u-3", "Three", "three@example.com", "Break", "OFF_QUEUE");
        String token = SimulatorHttp.genesysToken(sim);

        JsonNode first = json(http.get("/api/v2/users?pageSize=2&pageNumber=1&expand=presence,routingStatus", token));
        assertThat(first.path("total").asInt()).isEqualTo(3);
        assertThat(first.path("pageCount").asInt()).isEqualTo(2);
        assertThat(first.path("entities")).hasSize(2);
        assertThat(first.path("nextUri").asText()).contains("pageNumber=2");
        JsonNode two = first.path("entities").get(1);
        assertThat(two.at("/presence/presenceDefinition/systemPresence").asText()).isEqualTo("On Queue");
        assertThat(two.at("/routingStatus/status").asText()).isEqualTo("INTERACTING");
        assertThat(two.at("/routingStatus/userId").asText()).isEqualTo("u-2");

        JsonNode last = json(http.get("/api/v2/users?pageSize=2&pageNumber=2", token));
        assertThat(last.path("entities")).hasSize(1);
        assertThat(last.has("nextUri")).isFalse();
        assertThat(last.path("entities").get(0).has("presence")).isFalse();

        assertThat(http.get("/api/v2/users?pageSize=501", token).statusCode()).isEqualTo(400);
    }

    @Test
    void fiveThousandAgentsPageCompletelyAndStably() throws Exception {
        IntStream.range(0, 5000).forEach(i -> sim.addAgent(String.format("u-%05d", i), "Agent " + i,
                "agent" + i + "@example.com", i % 3 == 0 ? "Available" : "Offline", "OFF_QUEUE"));
        String token = SimulatorHttp.genesysToken(sim);
        Set<String> seen = new HashSet<>();
        String next = "/api/v2/users?pageSize=500&pageNumber=1&expand=presence";
        int pages = 0;
        while (next != null) {
            JsonNode page = json(http.get(next, token));
            assertThat(page.path("total").asInt()).isEqualTo(5000);
            page.path("entities").forEach(u -> seen.add(u.path("id").asText()));
            next = page.hasNonNull("nextUri") ? page.path("nextUri").asText() : null;
            pages++;
        }
        assertThat(pages).isEqualTo(10);
        assertThat(seen).hasSize(5000);
    }

    @Test
    void bulkPresenceAcceptsBothIdFormsAndAtMostFifty() throws Exception {
        sim.addAgent("a", "A", "a@example.com", "Available", "IDLE");
        sim.addAgent("b", "B", "b@example.com", "Away", "OFF_QUEUE");
        sim.setPresence("b", "Meal");
        String token = SimulatorHttp.genesysToken(sim);

        JsonNode multi = json(http.get("/api/v2/users/presences/purecloud/bulk?id=a&id=b", token));
        assertThat(multi).hasSize(2);
        assertThat(multi.get(1).path("userId").asText()).isEqualTo("b");
        assertThat(multi.get(1).path("source").asText()).isEqualTo("PURECLOUD");
        assertThat(multi.get(1).at("/presenceDefinition/systemPresence").asText()).isEqualTo("Meal");
        assertThat(json(http.get("/api/v2/users/presences/purecloud/bulk?id=a,b", token))).hasSize(2);

        String fiftyOne = IntStream.range(0, 51).mapToObj(i -> "id=x" + i).collect(Collectors.joining("&"));
        assertThat(http.get("/api/v2/users/presences/purecloud/bulk?" + fiftyOne, token).statusCode()).isEqualTo(400);
    }

    @Test
    void queueMembersPageUpToOneHundred() throws Exception {
        sim.addQueue("q-1", "Billing");
        sim.addAgent("u-1", "Zed", "zed@example.com", "Available", "IDLE");
        sim.addAgent("u-2", "Amy", "amy@example.com", "Available", "INTERACTING");
        sim.addQueueMember("q-1", "u-1");
        sim.addQueueMember("q-1", "u-2");
        String token = SimulatorHttp.genesysToken(sim);

        JsonNode members = json(http.get("/api/v2/routing/queues/q-1/members?pageSize=100&pageNumber=1", token));
        // as Genesys now answers (and as the SDK's QueueMemberEntityListing models it): no counts
        assertThat(members.has("total")).isFalse();
        assertThat(members.has("pageCount")).isFalse();
        assertThat(members.has("lastUri")).isFalse();
        assertThat(members.path("entities")).hasSize(2);
        JsonNode first = members.path("entities").get(0);
        assertThat(first.path("name").asText()).isEqualTo("Amy"); // sorted by name
        assertThat(first.at("/user/email").asText()).isEqualTo("amy@example.com");
        assertThat(first.path("memberBy").asText()).isEqualTo("user");
        assertThat(first.path("joined").asBoolean()).isTrue();
        assertThat(first.at("/routingStatus/status").asText()).isEqualTo("INTERACTING");

        assertThat(http.get("/api/v2/routing/queues/q-1/members?pageSize=101", token).statusCode()).isEqualTo(400);
        assertThat(http.get("/api/v2/routing/queues/nope/members", token).statusCode()).isEqualTo(404);
        assertThat(json(http.get("/api/v2/routing/queues", token)).path("total").asInt()).isEqualTo(1);
    }
}
