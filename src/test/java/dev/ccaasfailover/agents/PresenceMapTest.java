package dev.ccaasfailover.agents;

import dev.ccaasfailover.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PresenceMapTest {

    static PresenceMap shipped() {
        return AgentMappings.load(Path.of("mappings"), "SystemMaintenance").presence();
    }

    static PresenceMap parse(String yaml) {
        return PresenceMap.load(MappingFile.parse("presence.yaml", yaml), "SystemMaintenance");
    }

    @Test
    void shippedMapKeepsBreaksUnavailableAndSkipsOffline() {
        PresenceMap m = shipped();
        for (String p : new String[] {"Break", "MEAL", "Training", "meeting", "Away"}) {
            assertThat(m.failover(p, null)).get().extracting(TargetState::state).isEqualTo("Unavailable");
        }
        assertThat(m.failover("Break", null)).contains(new TargetState("Unavailable", "Break"));
        assertThat(m.failover("On Queue", null)).contains(TargetState.of("Available"));
        assertThat(m.failover("ON_QUEUE", null)).contains(TargetState.of("Available"));
        assertThat(m.failover("OnQueue", null)).contains(TargetState.of("Available"));
        assertThat(m.failover("Offline", null)).isEmpty();
    }

    @Test
    void unknownPresenceBecomesUnavailableWithTheConfiguredReason() {
        PresenceMap m = PresenceMap.load(MappingFile.parse("p.yaml", "failover: {systemPresences: {ON_QUEUE: {state: Available}}}"), "Outage");
        assertThat(m.failover("Vacation", null)).contains(new TargetState("Unavailable", "Outage"));
        assertThat(m.failover("Break", null)).contains(new TargetState("Unavailable", "Outage"));
        assertThat(m.failover("Offline", null)).isEmpty();
    }

    @Test
    void breakMappedToAvailableFailsStartUpWithFileLineAndFix() {
        assertThatThrownBy(() -> parse("failover:\n  systemPresences:\n    ON_QUEUE: {state: Available}\n    BREAK: {state: Available}\n"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("presence.yaml: line 4: BREAK must never become Available")
                .hasMessageContaining("reasonCode: Break");
    }

    @Test
    void aStateNiceCannotTakeFailsStartUp() {
        assertThatThrownBy(() -> parse("failover:\n  systemPresences:\n    BUSY: {state: NotAvailable, reasonCode: Busy}\n"))
                .hasMessageStartingWith("presence.yaml: line 3: NICE can only set an agent Available or Unavailable");
        assertThatThrownBy(() -> parse("failover:\n  systemPresences:\n    BUSY: {state: Unavailable}\n"))
                .hasMessageContaining("line 3: NICE needs an unavailable code");
        assertThatThrownBy(() -> parse("failover:\n  systemPresences:\n    OFFLINE: {state: Unavailable, reasonCode: Away}\n"))
                .hasMessageContaining("OFFLINE agents are skipped");
        assertThatThrownBy(() -> parse("failover:\n  systemPresences:\n    LUNCH: {state: Unavailable, reasonCode: Meal}\n"))
                .hasMessageContaining("line 3: 'LUNCH' is not a Genesys system presence");
        assertThatThrownBy(() -> parse("failover:\n  systemPresences:\n    BUSY: {state: Unavailable, reasonCode: Away\n"))
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void secondaryPresenceWinsButNeverMakesABreakAvailable() {
        PresenceMap m = parse("""
                failover:
                  systemPresences:
                    BREAK: {state: Unavailable, reasonCode: Break}
                    AVAILABLE: {state: Available}
                  secondaryPresences:
                    "lunch-id": {state: Unavailable, reasonCode: Meal}
                    "sneaky-id": {state: Available}
                """);
        assertThat(m.failover("Available", "lunch-id")).contains(new TargetState("Unavailable", "Meal"));
        assertThat(m.failover("Break", "sneaky-id")).contains(new TargetState("Unavailable", "Break"));
        assertThat(m.failover("Available", "sneaky-id")).contains(TargetState.of("Available"));
    }

    @Test
    void failbackMapsNiceStatesAndCodesAndNeverPutsUnavailableOnQueue() {
        PresenceMap m = shipped();
        assertThat(m.failback("Available", null)).contains(TargetState.of("ON_QUEUE"));
        assertThat(m.failback("Unavailable", "Break")).contains(TargetState.of("BREAK"));
        assertThat(m.failback("Unavailable", "SomethingNew")).contains(TargetState.of("AWAY"));
        assertThat(m.failback("LoggedOut", null)).isEqualTo(Optional.empty());
        assertThatThrownBy(() -> parse("failback:\n  unavailableCodes:\n    Break: ON_QUEUE\n"))
                .hasMessageContaining("line 3: an Unavailable agent (code Break) must not become ON_QUEUE");
    }

    @Test
    void queueAndAgentFilesReportBadEntriesWithTheirLine() {
        assertThatThrownBy(() -> QueueMap.load(MappingFile.parse("queues.yaml",
                "failover:\n  - {genesysQueueId: q1, niceSkillId: \"1\"}\n  - {genesysQueueId: q1, niceSkillId: \"2\"}\n")))
                .hasMessageStartingWith("queues.yaml: line 3: Genesys queue q1 is mapped twice");
        assertThatThrownBy(() -> QueueMap.load(MappingFile.parse("queues.yaml",
                "failover:\n  - {genesysQueueId: q1, niceSkillId: \"1\", proficiency: 99}\n")))
                .hasMessageContaining("line 2: proficiency '99' is not a NICE proficiency");
        assertThatThrownBy(() -> AgentOverrides.load(MappingFile.parse("agents.yaml", "agents:\n  - {genesys: a@x.com}\n")))
                .hasMessageStartingWith("agents.yaml: line 2: an override needs both sides");
    }
}
