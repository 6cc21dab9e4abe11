package dev.ccaasfailover.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.security.OAuthTokenSource;
import dev.ccaasfailover.simulator.Fault;
import dev.ccaasfailover.simulator.NiceSimulator;
import dev.ccaasfailover.simulator.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** NICE skill assignments against the strict NICE simulator: read every page, write only what differs, bulk where it fits. */
class NiceSkillsTest {

    static final String API = NiceSimulator.API_BASE_PATH;

    NiceSimulator nice;
    NiceSkills skills;

    @BeforeEach
    void start() {
        nice = new NiceSimulator(0).start();
        nice.addTeam("10", "Team");
        for (String id : List.of("4001", "4002", "4003")) {
            nice.addSkill(id, "Skill " + id);
        }
        for (int i = 1; i <= 6; i++) {
            nice.addAgent(100 + i, "a" + i, "a" + i + "@example.com", "10");
        }
        skills = new NiceSkills(vendorHttp(Duration.ofSeconds(10)), dev.ccaasfailover.testsupport.RouteEndpoints.of("nice"), 4);
    }

    @AfterEach
    void stop() {
        nice.close();
    }

    VendorHttp vendorHttp(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Clock clock = Clock.systemUTC();
        return new VendorHttp("nice", nice.apiBaseUrl(), OAuthTokenSource.passwordGrant("nice", URI.create(nice.tokenUrl()),
                nice.clientId(), nice.clientSecret(), nice.accessKeyId(), nice.accessKeySecret(), http, clock), http,
                new RequestWindow(10_000, Duration.ofMinutes(1), clock, RequestWindow.Sleeper.REAL), 3, timeout, clock,
                RequestWindow.Sleeper.REAL);
    }

    List<RecordedRequest> skillWrites() {
        return nice.requests().stream().filter(r -> !r.method().equals("GET") && r.path().endsWith("/skills")).toList();
    }

    static Map<String, Integer> want(Object... skillAndProficiency) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < skillAndProficiency.length; i += 2) {
            m.put((String) skillAndProficiency[i], (Integer) skillAndProficiency[i + 1]);
        }
        return m;
    }

    @Test
    void diffAssignsWhatIsMissingModifiesWhatDiffersAndLeavesEqualAlone() {
        Map<String, NiceSkills.Assignment> have = Map.of(
                "4001", new NiceSkills.Assignment("4001", "Billing", 1, true),
                "4002", new NiceSkills.Assignment("4002", "Support", 3, true),
                "4003", new NiceSkills.Assignment("4003", "Sales", 1, false));
        NiceSkills.Change c = NiceSkills.diff(want("4001", 1, "4002", 2, "4003", 1, "4004", 5), have);
        assertThat(c.assign()).containsExactly(Map.entry("4004", 5));
        assertThat(c.modify()).containsOnly(Map.entry("4002", 2), Map.entry("4003", 1));
        assertThat(NiceSkills.diff(want("4001", 1), have).isEmpty()).isTrue();
    }

    @Test
    void aSecondRunWritesNothingAndSaysSo() {
        Map<String, Map<String, Integer>> wanted = new LinkedHashMap<>();
        for (int i = 1; i <= 6; i++) {
            wanted.put(String.valueOf(100 + i), i % 2 == 0 ? want("4001", 1, "4002", 2) : want("4003", 1));
        }
        NiceSkills.Outcome first = skills.sync(wanted, false);
        assertThat(first.byAgent().values()).allSatisfy(r -> assertThat(r.failure()).isNull());
        assertThat(first.writes()).isEqualTo(new NiceSkills.Writes(9, 0, 2)); // two bulk requests, one per skill set
        assertThat(nice.agentSkills(102)).containsExactlyInAnyOrder(new NiceSimulator.SkillAssignment("4001", 1, true),
                new NiceSimulator.SkillAssignment("4002", 2, true));

        nice.clearRequests();
        NiceSkills.Outcome second = skills.sync(wanted, false);
        assertThat(second.writes()).isEqualTo(new NiceSkills.Writes(0, 0, 0));
        assertThat(second.byAgent()).isEmpty();
        assertThat(skillWrites()).isEmpty();
    }

    @Test
    void agentsNeedingTheSameNewSkillsShareOneBulkRequestAndALoneAgentGetsItsOwnPost() throws Exception {
        Map<String, Map<String, Integer>> wanted = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            wanted.put(String.valueOf(100 + i), want("4001", 1, "4002", 2));
        }
        wanted.put("106", want("4003", 4));
        skills.sync(wanted, false);
        List<RecordedRequest> writes = skillWrites();
        assertThat(writes).hasSize(2);
        RecordedRequest bulk = writes.stream().filter(r -> r.path().equals(API + "/agents/skills")).findFirst().orElseThrow();
        JsonNode detail = Json.MAPPER.readTree(bulk.body()).path("agentAndSkillDetails");
        assertThat(detail).hasSize(1);
        assertThat(detail.get(0).path("agentIds")).hasSize(5);
        assertThat(writes).anySatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo(API + "/agents/106/skills");
        });
        assertThat(nice.agentSkills(106)).containsExactly(new NiceSimulator.SkillAssignment("4003", 4, true));
    }

    @Test
    void aProficiencyChangeIsOnePutAndNothingElse() throws Exception {
        nice.assignSkill(101, "4001", 3);
        NiceSkills.Outcome o = skills.sync(Map.of("101", want("4001", 1)), false);
        assertThat(o.writes()).isEqualTo(new NiceSkills.Writes(0, 1, 1));
        assertThat(o.byAgent().get("101").changes()).contains("proficiency 3->1");
        List<RecordedRequest> writes = skillWrites();
        assertThat(writes).hasSize(1);
        assertThat(writes.get(0).method()).isEqualTo("PUT");
        JsonNode s = Json.MAPPER.readTree(writes.get(0).body()).path("skills").get(0);
        assertThat(s.path("proficiency").asInt()).isEqualTo(1);
        assertThat(s.path("isActive").asBoolean()).isTrue();
        assertThat(nice.agentSkills(101)).containsExactly(new NiceSimulator.SkillAssignment("4001", 1, true));
    }

    @Test
    void anInactiveAssignmentIsReactivatedWithPutAndIsActive() throws Exception {
        nice.assignSkill(101, "4002", 2);
        nice.assignSkill(101, "4001", 1);
        // deactivate 4002 through NICE's own API, as an admin would
        vendorHttp(Duration.ofSeconds(10)).call("PUT", "/agents/101/skills",
                Map.of("skills", List.of(Map.of("skillId", "4002", "proficiency", 2, "isActive", false))));
        nice.clearRequests();

        NiceSkills.Outcome o = skills.sync(Map.of("101", want("4001", 1, "4002", 2)), false);
        assertThat(o.byAgent().get("101").changes()).contains("4002 re-activated");
        List<RecordedRequest> writes = skillWrites();
        assertThat(writes).hasSize(1);
        assertThat(writes.get(0).method()).isEqualTo("PUT");
        JsonNode sent = Json.MAPPER.readTree(writes.get(0).body()).path("skills");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).path("skillId").asText()).isEqualTo("4002");
        assertThat(sent.get(0).path("isActive").asBoolean()).isTrue();
        assertThat(nice.agentSkills(101)).contains(new NiceSimulator.SkillAssignment("4002", 2, true));
    }

    @Test
    void anAgentWithMoreSkillsThanOnePageIsReadWhole() {
        for (int i = 0; i < 150; i++) {
            String id = String.valueOf(1000 + i);
            nice.addSkill(id, "S" + i);
            nice.assignSkill(101, id, 1);
        }
        nice.clearRequests();
        Map<String, NiceSkills.Assignment> read = skills.read("101");
        assertThat(read).hasSize(150);
        assertThat(nice.count("GET", API + "/agents/101/skills")).isEqualTo(2);
        // the last skill is on the second page: held, so nothing is written
        assertThat(skills.sync(Map.of("101", want("1149", 1)), false).writes().requests()).isZero();
        assertThat(skillWrites()).isEmpty();
    }

    @Test
    void aRefusedBulkRequestFailsEachOfItsAgentsAndNoOther() {
        nice.setFault(Fault.error(400).onPath(API + "/agents/skills").times(1));
        Map<String, Map<String, Integer>> wanted = new LinkedHashMap<>();
        wanted.put("101", want("4001", 1));
        wanted.put("102", want("4001", 1));
        wanted.put("103", want("4002", 1));
        wanted.put("104", want("4002", 1));
        NiceSkills.Outcome o = skills.sync(wanted, false);
        long failed = o.byAgent().values().stream().filter(r -> r.failure() != null).count();
        assertThat(failed).isEqualTo(2);
        o.byAgent().forEach((id, r) -> {
            if (r.failure() != null) {
                assertThat(r.failure()).contains("400");
                assertThat(nice.agentSkills(Integer.parseInt(id))).isEmpty();
            } else {
                assertThat(nice.agentSkills(Integer.parseInt(id))).hasSize(1);
            }
        });
    }

    @Test
    void aPostWhoseAnswerWasLostAndWhoseRetryIsRefusedAsAlreadyAssignedCountsAsDone() {
        // the first POST lands but its answer is lost (504, retried); the retry is refused as already assigned
        nice.loseSkillWriteAnswers(1);
        NiceSkills.Outcome o = skills.sync(Map.of("101", want("4001", 1)), false);
        assertThat(skillWrites()).hasSize(2).allSatisfy(r -> assertThat(r.method()).isEqualTo("POST"));
        assertThat(o.byAgent().get("101").failure()).isNull();
        assertThat(nice.agentSkills(101)).containsExactly(new NiceSimulator.SkillAssignment("4001", 1, true));
    }

    @Test
    void anAgentWhoseSkillsCannotBeReadFailsAndIsNeverReportedUnchanged() {
        nice.setAgentState(101, "Available", 0);
        nice.setFault(Fault.error(400).onPath(API + "/agents/101/skills").times(1));
        SyncPlan.Item item = new SyncPlan.Item("a1@example.com", "g-1", "101", "On Queue", TargetState.of("Available"),
                TargetState.of("Available"), want("4001", 1));
        SyncPlan plan = new SyncPlan("failover", "genesys", "nice", true, false, List.of(item), List.of(), List.of());
        List<AgentOutcome> out = new NiceAgentsClient(vendorHttp(Duration.ofSeconds(10)), () -> dev.ccaasfailover.testsupport.RouteEndpoints.of("nice"), 2).apply(plan, false, new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext()));
        assertThat(out).singleElement().satisfies(o -> {
            assertThat(o.outcome()).isEqualTo(AgentOutcome.FAILED);
            assertThat(o.reason()).contains("skills not read").contains("400");
        });
        assertThat(skillWrites()).isEmpty();
    }

    @Test
    void aDryRunReadsAndWritesNothing() {
        NiceSkills.Outcome o = skills.sync(Map.of("101", want("4001", 1)), true);
        assertThat(o.byAgent().get("101").changes()).isEqualTo("+skills 4001");
        assertThat(skillWrites()).isEmpty();
        assertThat(nice.agentSkills(101)).isEmpty();
    }
}
