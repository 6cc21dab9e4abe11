package dev.ccaasfailover.agents;

import java.util.List;
import java.util.Map;

/**
 * What one sync run means to do: per matched agent the target state and queues, plus the agents already settled
 * (skipped, unmatched) and the source queues nothing maps.
 *
 * @param genesysToNice true when Genesys is the source (the "failover" sections of the mapping files)
 */
public record SyncPlan(String direction, String source, String target, boolean genesysToNice, boolean dryRun,
                       List<Item> items, List<AgentOutcome> settled, List<Roster.Queue> unmappedQueues) {

    /**
     * @param current the target's current state as its roster read it (null when unknown)
     * @param queues  target queue (skill) id to NICE proficiency; the agent must be in at least these
     * @param targetTeam the target agent's team (NICE teamId), null when the target has none
     */
    public record Item(String email, String sourceId, String targetId, String from, TargetState desired,
                       TargetState current, Map<String, Integer> queues, String targetTeam) {
        public Item(String email, String sourceId, String targetId, String from, TargetState desired,
                    TargetState current, Map<String, Integer> queues) {
            this(email, sourceId, targetId, from, desired, current, queues, null);
        }
    }
}
