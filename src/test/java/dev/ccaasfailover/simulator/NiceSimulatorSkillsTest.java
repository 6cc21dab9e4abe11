package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static dev.ccaasfailover.simulator.SimulatorHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NICE simulator's agent skills and skill activity, as strict as docs/vendor-apis.md §5: POST assigns only new skills,
 * PUT modifies only held ones and needs isActive, bodies carry only the documented fields, listings come in small pages.
 */
class NiceSimulatorSkillsTest {

    private static final String API = NiceSimulator.API_BASE_PATH;

    private NiceSimulator sim;
    private SimulatorHttp http;
    private String token;

    @BeforeEach
    void start() throws Exception {
        sim = new NiceSimulator(0).start();
        http = new SimulatorHttp(sim.baseUrl());
        sim.addAgent(7, "seven", "seven@example.com", "10");
        sim.addAgent(8, "eight", "eight@example.com", "10");
        sim.addSkill("4001", "Billing");
        sim.addSkill("4002", "Support");
        HttpResponse<String> t = http.postForm("/auth/token", sim.clientId(), sim.clientSecret(),
                "grant_type", "password", "username", sim.accessKeyId(), "password", sim.accessKeySecret());
        token = json(t).path("access_token").asText();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.sendJson(method, API + path, token, body);
    }

    @Test
    void postAssignsOnlyNewSkillsAndPutModifiesOnlyHeldOnes() throws Exception {
        HttpResponse<String> assign = send("POST", "/agents/7/skills", "{\"skills\":[{\"skillId\":\"4001\",\"proficiency\":3,\"isActive\":true}]}");
        assertThat(assign.statusCode()).isEqualTo(200);
        assertThat(json(assign).at("/resultSet/errorCount").asInt()).isZero();

        // the same skill again: refused, and the assignment keeps its proficiency
        HttpResponse<String> again = send("POST", "/agents/7/skills", "{\"skills\":[{\"skillId\":\"4001\",\"proficiency\":1}]}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(json(again).at("/resultSet/skillResults/0/error").asText()).contains("already assigned");
        assertThat(sim.agentSkills(7)).containsExactly(new NiceSimulator.SkillAssignment("4001", 3, true));

        // one new, one held: 200, the held one reported as an error
        HttpResponse<String> mixed = send("POST", "/agents/7/skills", "{\"skills\":[{\"skillId\":4002},{\"skillId\":4001}]}");
        assertThat(mixed.statusCode()).isEqualTo(200);
        assertThat(json(mixed).at("/resultSet/errorCount").asInt()).isEqualTo(1);
        assertThat(json(mixed).at("/resultSet/skillResults/1/agentId").asInt()).isEqualTo(7);

        // PUT of a skill the agent does not hold: refused
        HttpResponse<String> notHeld = send("PUT", "/agents/8/skills", "{\"skills\":[{\"skillId\":4001,\"proficiency\":2,\"isActive\":true}]}");
        assertThat(notHeld.statusCode()).isEqualTo(409);
        assertThat(sim.agentSkills(8)).isEmpty();

        // PUT without isActive: 400 for the whole request
        HttpResponse<String> noActive = send("PUT", "/agents/7/skills", "{\"skills\":[{\"skillId\":4001,\"proficiency\":5}]}");
        assertThat(noActive.statusCode()).isEqualTo(400);
        assertThat(noActive.body()).contains("isActive");

        HttpResponse<String> modify = send("PUT", "/agents/7/skills", "{\"skills\":[{\"skillId\":4001,\"proficiency\":5,\"isActive\":false}]}");
        assertThat(modify.statusCode()).isEqualTo(200);
        assertThat(sim.agentSkills(7).get(0)).isEqualTo(new NiceSimulator.SkillAssignment("4001", 5, false));
    }

    @Test
    void malformedBodiesAre400AndChangeNothing() throws Exception {
        for (String body : List.of(
                "{\"skills\":[{\"skillId\":\"4001\",\"skillID\":\"4001\"}]}",   // unknown field
                "{\"skils\":[{\"skillId\":\"4001\"}]}",                          // unknown top-level field
                "{\"skills\":[]}",
                "{\"skills\":[{\"proficiency\":1}]}",                           // no skillId
                "{\"skills\":[{\"skillId\":\"4001\",\"proficiency\":0}]}",      // outside 1-20
                "{\"skills\":[{\"skillId\":\"4001\",\"isActive\":\"yes\"}]}")) {
            HttpResponse<String> r = send("POST", "/agents/7/skills", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(json(r).path("error_description").asText()).as(body).isNotBlank();
        }
        assertThat(sim.agentSkills(7)).isEmpty();
    }

    @Test
    void theAssignmentListIsPagedSmallByDefaultAndNamesTheProficiencyAsNiceDoes() throws Exception {
        for (int i = 0; i < 23; i++) {
            sim.addSkill(String.valueOf(5000 + i), "S" + i);
            sim.assignSkill(7, String.valueOf(5000 + i), 1 + i % 20);
        }
        JsonNode first = json(http.get(API + "/agents/7/skills", token));
        assertThat(first.path("totalRecords").asInt()).isEqualTo(23);
        assertThat(first.path("agentSkillAssignments")).hasSize(NiceSimulator.SKILLS_DEFAULT_TOP);
        assertThat(first.at("/_links/next").asText()).contains("skip=10");
        JsonNode item = first.path("agentSkillAssignments").get(0);
        assertThat(item.path("agentProficiencyValue").asInt()).isEqualTo(1);
        assertThat(item.has("proficiency")).isFalse();
        assertThat(item.path("isActive").asBoolean()).isTrue();

        JsonNode last = json(http.get(API + "/agents/7/skills?top=10&skip=20", token));
        assertThat(last.path("agentSkillAssignments")).hasSize(3);
        assertThat(last.at("/_links/next").isNull()).isTrue();
    }

    @Test
    void bulkAssignsOrModifiesPerAgentAndReportsEachAgentsResult() throws Exception {
        sim.assignSkill(7, "4001", 5);
        HttpResponse<String> bulk = send("POST", "/agents/skills", "{\"agentAndSkillDetails\":[{\"agentIds\":[\"7\",\"8\",\"99\"],"
                + "\"skills\":[{\"skillId\":\"4001\",\"proficiency\":1,\"isActive\":true}]}]}");
        assertThat(bulk.statusCode()).isEqualTo(200);
        JsonNode rs = json(bulk).path("resultSet");
        assertThat(rs.path("errorCount").asInt()).isEqualTo(1);
        List<String> failed = new ArrayList<>();
        rs.path("skillResults").forEach(r -> {
            if (!r.path("success").asBoolean()) {
                failed.add(r.path("agentId").asText());
            }
        });
        assertThat(failed).containsExactly("99");
        assertThat(sim.agentSkills(7)).containsExactly(new NiceSimulator.SkillAssignment("4001", 1, true));
        assertThat(sim.agentSkills(8)).containsExactly(new NiceSimulator.SkillAssignment("4001", 1, true));

        assertThat(send("POST", "/agents/skills", "{\"agentAndSkillDetails\":[{\"agentIds\":[7],\"skills\":[{\"skillId\":4002}],"
                + "\"teamId\":1}]}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/agents/skills", "{\"agentAndSkillDetails\":[]}").statusCode()).isEqualTo(400);
    }

    @Test
    void skillActivityIsPagedWithTotalRecordsAndANextLink() throws Exception {
        for (int i = 0; i < 21; i++) {
            sim.addSkill(String.valueOf(6000 + i), "S" + i);
        }
        JsonNode first = json(http.get(API + "/skills/activity", token));
        assertThat(first.path("totalRecords").asInt()).isEqualTo(23);
        assertThat(first.path("skillActivity")).hasSize(NiceSimulator.SKILLS_DEFAULT_TOP);
        assertThat(first.at("/_links/next").asText()).contains("skip=10");
        assertThat(first.path("lastPollTime").asText()).isNotBlank();
        JsonNode last = json(http.get(API + "/skills/activity?skip=20", token));
        assertThat(last.path("skillActivity")).hasSize(3);
        assertThat(last.at("/_links/next").isNull()).isTrue();
    }
}
