package dev.ccaasfailover.agents;

import java.nio.file.Path;

/** The three mapping files the agent sync reads, loaded and checked together at start-up. */
public record AgentMappings(PresenceMap presence, QueueMap queues, AgentOverrides overrides) {

    public static AgentMappings load(Path dir, String unknownPresenceReason) {
        return load(dir, unknownPresenceReason, true);
    }

    /** @param jarCopyAllowed false on a configured site: a file missing from {@code dir} stops start-up */
    public static AgentMappings load(Path dir, String unknownPresenceReason, boolean jarCopyAllowed) {
        PresenceMap.requireReason(unknownPresenceReason);
        return new AgentMappings(
                PresenceMap.load(MappingFile.load(dir, PresenceMap.FILE, jarCopyAllowed), unknownPresenceReason),
                QueueMap.load(MappingFile.load(dir, QueueMap.FILE, jarCopyAllowed)),
                AgentOverrides.load(MappingFile.load(dir, AgentOverrides.FILE, jarCopyAllowed)));
    }
}
