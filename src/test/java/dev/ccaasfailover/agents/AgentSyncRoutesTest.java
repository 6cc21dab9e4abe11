package dev.ccaasfailover.agents;

import dev.ccaasfailover.simulator.Fault;
import dev.ccaasfailover.simulator.GenesysSimulator;
import dev.ccaasfailover.simulator.NiceSimulator;
import dev.ccaasfailover.simulator.RecordedRequest;
import dev.ccaasfailover.testsupport.AgentOrg;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real routes (failover-sync-agents, platform-*-agents) against simulators holding 1,000 agents, with Genesys'
 * 300/min limit and a NICE limit enforced by the simulators, and injected 429s. NICE is as strict as NICE: state only for
 * a logged-in agent, so most agents get their state from the login watch (agents-login-watch-nice) when they log in.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentSyncRoutesTest {

    static final int AGENTS = 1000;
    static final int GENESYS_LIMIT = 300;
    static final int NICE_LIMIT = 20_000;

    static GenesysSimulator genesys;
    static NiceSimulator nice;
    static RunningMiddleware app;
    static List<AgentOrg.Person> people;
    static Map<String, String> props;
    /** The agents the watch applied before the restart: none of them may get a second state change after it. */
    static List<Integer> appliedBeforeRestart = List.of();

    @BeforeAll
    static void start() throws Exception {
        genesys = new GenesysSimulator(0).start();
        nice = new NiceSimulator(0).start();
        people = AgentOrg.seed(genesys, nice, AGENTS);
        genesys.setRateLimitPerMinute(GENESYS_LIMIT);
        nice.setRateLimitPerMinute(NICE_LIMIT);
        Map<String, String> p = new HashMap<>();
        p.put("failover.agents.login-poll-ms", "200");
        p.put("failover.platform.genesys.base-url", genesys.baseUrl());
        p.put("failover.platform.genesys.token-url", genesys.tokenUrl());
        p.put("failover.platform.genesys.client-id", genesys.clientId());
        p.put("failover.platform.genesys.client-secret", genesys.clientSecret());
        p.put("failover.platform.nice.base-url", nice.baseUrl());
        p.put("failover.platform.nice.token-url", nice.tokenUrl());
        p.put("failover.platform.nice.client-id", nice.clientId());
        p.put("failover.platform.nice.client-secret", nice.clientSecret());
        p.put("failover.platform.nice.access-key-id", nice.accessKeyId());
        p.put("failover.platform.nice.access-key-secret", nice.accessKeySecret());
        p.put("failover.agents.genesys.rate-per-minute", String.valueOf(GENESYS_LIMIT));
        p.put("failover.agents.nice.rate-per-minute", String.valueOf(NICE_LIMIT));
        p.put("failover.agents.concurrency", "8");
        p.put("failover.mappings.dir", AgentOrg.mappingsDir().toString());
        props = p;
        app = RunningMiddleware.start(p);
    }

    /** Agents LoggedOut on NICE whose mapped state waits for their login. */
    static List<AgentOrg.Person> waitingForLogin() {
        return people.stream().filter(p -> p.onNice() && p.expectedState() != null && !AgentOrg.loggedInAtStart(p)).toList();
    }

    static String actual(NiceSimulator.AgentState st) {
        return st.stateName().equals("Unavailable") ? "Unavailable/" + st.outStateDescription() : st.stateName();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> status() throws Exception {
        return dev.ccaasfailover.http.Json.MAPPER.readValue(app.get("/status", RunningMiddleware.ADMIN_TOKEN).body(), Map.class);
    }

    static long statePosts(int niceId) {
        return nice.count("POST", NiceSimulator.API_BASE_PATH + "/agents/" + niceId + "/state");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        genesys.close();
        nice.close();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> sync(String direction, boolean dryRun) {
        ProducerTemplate t = app.context().createProducerTemplate();
        Map<String, Object> headers = Map.of("direction", direction, "runId", "test-" + direction, "dryRun", dryRun);
        return t.requestBodyAndHeaders("direct:sync-agents", null, headers, Map.class);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Integer> counts(Map<String, Object> summary) {
        return (Map<String, Integer>) summary.get("counts");
    }

    @Test
    @Order(1)
    void dryRunPlansTheFailoverAndChangesNothing() {
        Map<String, Object> s = sync("failover", true);
        assertThat(s.get("outcome")).as(String.valueOf(s.get("detail"))).isEqualTo("done");
        assertThat(counts(s).get("updated")).isGreaterThan(800);
        assertThat(nice.count("POST", NiceSimulator.API_BASE_PATH + "/agents/")).isZero();
        assertThat(nice.agentState(200_002).stateName()).isEqualTo("LoggedOut");
    }

    @Test
    @Order(2)
    void failoverGivesEveryMappedAgentItsSkillsAndLoggedInAgentsTheirStateAtOnceUnderTheLimitsAndAbsorbs429s() throws Exception {
        genesys.clearRequests();
        nice.clearRequests();
        // 429s on both vendors, on the calls that matter: Genesys queue members, NICE state and skill writes
        genesys.setFault(Fault.rateLimit(1).onPath("/api/v2/routing/queues/").times(3));
        nice.setFault(Fault.rateLimit(1).onPath(NiceSimulator.API_BASE_PATH + "/agents/2").times(12));

        Map<String, Object> s = sync("failover", false);

        assertThat(s.get("outcome")).as(String.valueOf(s.get("detail"))).isEqualTo("done");
        Map<String, Integer> c = counts(s);
        long offline = people.stream().filter(p -> p.expectedState() == null).count();
        long missing = people.stream().filter(p -> !p.onNice()).count();
        assertThat(c.get("failed")).isZero();
        assertThat(c.get("unmatched")).isEqualTo((int) people.stream().filter(p -> !p.onNice() && p.expectedState() != null).count());
        assertThat(c.get("skipped")).isEqualTo((int) offline);
        assertThat(c.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(AGENTS);
        assertThat(missing).isPositive();

        for (AgentOrg.Person p : people) {
            if (!p.onNice()) {
                continue;
            }
            NiceSimulator.AgentState st = nice.agentState(p.niceId());
            if (p.expectedState() != null) {
                // skills are an admin operation: every mapped agent has them now, logged in or not
                assertThat(nice.agentSkills(p.niceId()).stream().map(NiceSimulator.SkillAssignment::skillId).toList())
                        .as(p.email() + " skills").containsExactlyInAnyOrderElementsOf(AgentOrg.expectedSkills(p));
                if (AgentOrg.loggedInAtStart(p)) {
                    assertThat(actual(st)).as(p.email() + " on " + p.presence() + ", logged in").isEqualTo(p.expectedState());
                } else {
                    assertThat(st.stateName()).as(p.email() + " is LoggedOut: its state waits for its login").isEqualTo("LoggedOut");
                }
            }
            if (List.of("Break", "Meal", "TRAINING", "Meeting", "Away").contains(p.presence())) {
                assertThat(st.stateName()).as("nobody on a break is Available").isNotEqualTo("Available");
            }
        }
        // the waiting agents are in the summary and in GET /status, and no state was sent for a LoggedOut agent
        @SuppressWarnings("unchecked")
        Map<String, Object> watch = (Map<String, Object>) s.get("loginWatch");
        assertThat(watch.get("pendingLogin")).isEqualTo(waitingForLogin().size());
        assertThat(String.valueOf(s.get("detail"))).contains(waitingForLogin().size() + " agent(s) LoggedOut on nice");
        Map<String, Object> status = status();
        assertThat(status.get("agentsPendingLogin")).isEqualTo(waitingForLogin().size());
        assertThat(status.get("agentsApplied")).isEqualTo(0);
        assertThat(status.get("watchUntil")).isNotNull();
        assertThat(waitingForLogin()).allSatisfy(p -> assertThat(statePosts(p.niceId())).isZero());
        // the agent paired by agents.yaml (different e-mail on NICE) was matched
        assertThat(nice.agentSkills(200_007)).isNotEmpty();
        // skills went out in bulk: one request per set of new skills (and chunk), not one per agent
        @SuppressWarnings("unchecked")
        Map<String, Integer> skillWrites = (Map<String, Integer>) s.get("skillWrites");
        assertThat(skillWrites.get("assigned")).isGreaterThan(800);
        assertThat(skillWrites.get("requests")).isLessThan(40);
        // proficiency from queues.yaml
        assertThat(nice.agentSkills(200_001)).anySatisfy(a -> {
            assertThat(a.skillId()).isEqualTo("4002");
            assertThat(a.proficiency()).isEqualTo(2);
        });
        // the unmapped queue is reported, not guessed
        assertThat(String.valueOf(s.get("detail"))).contains(AgentOrg.UNMAPPED_QUEUE);
        assertThat((List<?>) s.get("unmappedQueues")).hasSize(1);

        // bulk reads: users in pages and members per queue, never per user
        assertThat(genesys.count("GET", "/api/v2/users/g-")).isZero();
        assertThat(genesys.requests().size()).isLessThan(40);
        // no window of 60 s holds more than the limit, 429s included
        assertThat(AgentOrg.maxInWindow(genesys.requests().stream().map(RecordedRequest::at).toList(), 60_000)).isLessThanOrEqualTo(GENESYS_LIMIT);
        assertThat(AgentOrg.maxInWindow(nice.requests().stream().map(RecordedRequest::at).toList(), 60_000)).isLessThanOrEqualTo(NICE_LIMIT);
        assertThat(genesys.fault().mode()).isEqualTo(Fault.Mode.NONE); // the injected 429s were all met and absorbed
        assertThat(nice.fault().mode()).isEqualTo(Fault.Mode.NONE);
    }

    @Test
    @Order(3)
    void agentsWhoLogInAfterTheCutoverGetTheirMappedStateOnceAndAnAgentWhoChoseAStateIsLeftAlone() throws Exception {
        List<AgentOrg.Person> waiting = waitingForLogin();
        List<AgentOrg.Person> logIn = waiting.stream().filter(p -> p.index() % 3 != 0).toList();
        AgentOrg.Person chooser = logIn.stream().filter(p -> p.presence().equals("Break")).findFirst().orElseThrow();
        nice.clearRequests();
        // the watch cannot read NICE while they log in, so the chooser's own state is what the watch first sees
        nice.setFault(Fault.error(400).onPath(NiceSimulator.API_BASE_PATH + "/agents/states"));
        logIn.forEach(p -> nice.login(p.niceId()));
        nice.agentSetsOwnState(chooser.niceId(), "Unavailable", "Meal");
        nice.clearFault();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(logIn).allSatisfy(p -> {
            if (p != chooser) {
                assertThat(actual(nice.agentState(p.niceId()))).as(p.email() + " after login").isEqualTo(p.expectedState());
            }
        }));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(status().get("agentsApplied")).isEqualTo(logIn.size() - 1));
        assertThat(actual(nice.agentState(chooser.niceId()))).as("the agent's own choice").isEqualTo("Unavailable/Meal");
        assertThat(statePosts(chooser.niceId())).isZero();
        assertThat(logIn).allSatisfy(p -> assertThat(statePosts(p.niceId())).as(p.email()).isLessThanOrEqualTo(1));
        // nobody on a break became Available at login; those still LoggedOut wait, unchanged
        assertThat(logIn).filteredOn(p -> !p.expectedState().equals("Available"))
                .allSatisfy(p -> assertThat(nice.agentState(p.niceId()).stateName()).isEqualTo("Unavailable"));
        assertThat(waiting).filteredOn(p -> p.index() % 3 == 0)
                .allSatisfy(p -> assertThat(nice.agentState(p.niceId()).stateName()).isEqualTo("LoggedOut"));
        Map<String, Object> status = status();
        assertThat(status.get("agentsPendingLogin")).isEqualTo(waiting.size() - logIn.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> watch = (Map<String, Object>) status.get("agentsLoginWatch");
        assertThat(watch.get("agentsLeftAlone")).isEqualTo(1);
        assertThat(watch.get("state")).isEqualTo("watching");
        appliedBeforeRestart = logIn.stream().filter(p -> p != chooser).map(AgentOrg.Person::niceId).toList();
    }

    @Test
    @Order(4)
    void afterARestartMidWatchTheWatchResumesFromTheStoreAndAppliesOnce() throws Exception {
        app.close();
        List<AgentOrg.Person> rest = waitingForLogin().stream().filter(p -> p.index() % 3 == 0).toList();
        List<AgentOrg.Person> logIn = rest.subList(0, rest.size() / 2);
        nice.clearRequests();
        logIn.forEach(p -> nice.login(p.niceId())); // while no instance runs
        app = RunningMiddleware.start(props, Map.of(), app.dataDir());

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(logIn).allSatisfy(p ->
                assertThat(actual(nice.agentState(p.niceId()))).as(p.email()).isEqualTo(p.expectedState())));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(status().get("agentsPendingLogin")).isEqualTo(rest.size() - logIn.size()));
        assertThat(logIn).allSatisfy(p -> assertThat(statePosts(p.niceId())).as(p.email()).isEqualTo(1));
        assertThat(appliedBeforeRestart).isNotEmpty()
                .allSatisfy(id -> assertThat(statePosts(id)).as("applied before the restart: not again").isZero());
    }

    @Test
    @Order(5)
    void aSecondFailoverChangesNothing() {
        nice.clearRequests();
        Map<String, Object> s = sync("failover", false);
        assertThat(s.get("outcome")).as(String.valueOf(s.get("detail"))).isEqualTo("skipped");
        assertThat(counts(s).get("updated")).isZero();
        assertThat(counts(s).get("unchanged")).isGreaterThan(800);
        assertThat(s.get("skillWrites")).isEqualTo(Map.of("assigned", 0, "modified", 0, "requests", 0));
        assertThat(String.valueOf(s.get("detail"))).contains("skills 0 assigned, 0 modified in 0 request(s)");
        List<RecordedRequest> writes = nice.requests().stream().filter(r -> !r.method().equals("GET") && r.path().contains("/agents/")).toList();
        assertThat(writes).isEmpty();
        assertThat(String.valueOf(s.get("detail"))).contains("already waiting");
    }

    @Test
    @Order(6)
    void perAgentOutcomesNameTheAgentAndTheReason() {
        Map<String, Object> s = sync("failover", true);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> agents = (List<Map<String, Object>>) s.get("agents");
        assertThat(agents).hasSizeLessThanOrEqualTo(AgentSync.MAX_AGENTS_IN_BODY);
        assertThat(s.get("agentsTruncated")).isEqualTo(true);
        Map<String, Object> unmatched = agents.stream().filter(a -> a.get("outcome").equals("unmatched")).findFirst().orElseThrow();
        assertThat(unmatched.get("reason").toString()).contains("no nice agent with e-mail");
        assertThat(agents.stream().map(a -> a.get("outcome")).collect(Collectors.toSet())).doesNotContain("failed");
    }

    @Test
    @Order(7)
    void anUnknownDirectionFailsWithAClearDetail() {
        Map<String, Object> s = sync("sideways", false);
        assertThat(s.get("outcome")).isEqualTo("failed");
        assertThat(s.get("detail").toString()).contains("direction must be failover or failback");
    }
}
