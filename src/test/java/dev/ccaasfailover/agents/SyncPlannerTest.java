package dev.ccaasfailover.agents;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SyncPlannerTest {

    static final AgentMappings MAPPINGS = new AgentMappings(
            PresenceMap.load(MappingFile.parse("presence.yaml", """
                    failover:
                      systemPresences:
                        ON_QUEUE: {state: Available}
                        BREAK: {state: Unavailable, reasonCode: Break}
                    """), "SystemMaintenance"),
            QueueMap.load(MappingFile.parse("queues.yaml", "failover:\n  - {genesysQueueId: q1, niceSkillId: \"41\", proficiency: 3}\n")),
            AgentOverrides.load(MappingFile.parse("agents.yaml", "agents:\n  - {genesys: g-9, nice: \"909\"}\n")));

    static Roster.Agent g(String id, String email, String presence, String... queues) {
        return new Roster.Agent(id, email, presence, null, Set.of(queues));
    }

    static Roster.Agent n(String id, String email, String state, String reason) {
        return new Roster.Agent(id, email, state, reason, Set.of());
    }

    final SyncPlanner planner = new SyncPlanner(MAPPINGS);

    @Test
    void matchesByEmailIgnoringCaseAndMapsPresenceAndQueues() {
        SyncPlan plan = planner.plan("failover", false,
                new Roster("genesys", List.of(g("g-1", "Ana@Example.com", "On Queue", "q1", "q2")),
                        Map.of("q1", new Roster.Queue("q1", "Billing", 1), "q2", new Roster.Queue("q2", "Legacy", 1))),
                new Roster("nice", List.of(n("101", "ana@example.com", "LoggedOut", null)), Map.of()));
        assertThat(plan.items()).singleElement().satisfies(i -> {
            assertThat(i.targetId()).isEqualTo("101");
            assertThat(i.desired()).isEqualTo(TargetState.of("Available"));
            assertThat(i.queues()).isEqualTo(Map.of("41", 3));
            assertThat(i.current()).isEqualTo(new TargetState("LoggedOut", null));
        });
        assertThat(plan.unmappedQueues()).extracting(Roster.Queue::id).containsExactly("q2");
    }

    @Test
    void anOverrideWinsAndTwoTargetsWithOneEmailAreNeverGuessed() {
        SyncPlan plan = planner.plan("failover", false,
                new Roster("genesys", List.of(g("g-9", "nine@corp.example", "Break"), g("g-2", "twin@example.com", "On Queue"),
                        g("g-3", "ghost@example.com", "On Queue"), g("g-4", "gone@example.com", "Offline")), Map.of()),
                new Roster("nice", List.of(n("909", "nine@nice.example", "LoggedOut", null),
                        n("201", "twin@example.com", "LoggedOut", null), n("202", "TWIN@example.com", "LoggedOut", null)), Map.of()));
        assertThat(plan.items()).singleElement().satisfies(i -> {
            assertThat(i.targetId()).isEqualTo("909");
            assertThat(i.desired()).isEqualTo(new TargetState("Unavailable", "Break"));
        });
        assertThat(plan.settled()).extracting(AgentOutcome::agent, AgentOutcome::outcome).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("twin@example.com", "unmatched"),
                org.assertj.core.groups.Tuple.tuple("ghost@example.com", "unmatched"),
                org.assertj.core.groups.Tuple.tuple("gone@example.com", "skipped"));
        assertThat(plan.settled().stream().filter(o -> o.agent().startsWith("twin")).findFirst().orElseThrow().reason())
                .contains("2 nice agents share twin@example.com");
    }

    @Test
    void holdsComparesStateAndReasonCaseInsensitively() {
        assertThat(SyncPlanner.holds(new TargetState("Unavailable", "break"), new TargetState("Unavailable", "Break"))).isTrue();
        assertThat(SyncPlanner.holds(new TargetState("Unavailable", "Meal"), new TargetState("Unavailable", "Break"))).isFalse();
        assertThat(SyncPlanner.holds(new TargetState("Available", null), TargetState.of("Available"))).isTrue();
        assertThat(SyncPlanner.holds(null, TargetState.of("Available"))).isFalse();
    }
}
