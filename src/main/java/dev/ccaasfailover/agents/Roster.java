package dev.ccaasfailover.agents;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One platform's agents as the sync sees them, in vendor-neutral shape (built by the platform routes' client beans).
 *
 * @param agents active agents
 * @param queues queues (Genesys) or skills (NICE) by id; {@code memberCount} as the platform reports it
 */
public record Roster(String platform, List<Agent> agents, Map<String, Queue> queues) {

    /**
     * @param presence       Genesys system presence as answered, or NICE agentStateName
     * @param presenceDetail Genesys presenceDefinition id, or the NICE unavailable code's name (outStateDescription)
     * @param queues         ids of the queues (skills) the agent is in; empty when not read (a target roster)
     * @param team           the NICE agent's teamId (its unavailable codes are the team's); null on Genesys
     */
    public record Agent(String id, String email, String presence, String presenceDetail, Set<String> queues, String team) {
        public Agent(String id, String email, String presence, String presenceDetail, Set<String> queues) {
            this(id, email, presence, presenceDetail, queues, null);
        }
    }

    public record Queue(String id, String name, int memberCount) {
    }
}
