package dev.ccaasfailover.agents;

import java.nio.file.Path;

/** The three mapping files the agent sync reads, loaded and checked together at start-up. */
public record AgentMappings(PresenceMap presence, QueueMap queues, AgentOverrides overrides) {

    public static AgentMappings load(Path dir, String unknownPresenceReason) {
        PresenceMap.requireReason(unknownPresenceReason);
        return new AgentMappings(
                PresenceMap.load(MappingFile.load(dir, PresenceMap.FILE), unknownPresenceReason),
                QueueMap.load(MappingFile.load(dir, QueueMap.FILE)),
                AgentOverrides.load(MappingFile.load(dir, AgentOverrides.FILE)));
    }
}
