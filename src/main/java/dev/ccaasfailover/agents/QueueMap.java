package dev.ccaasfailover.agents;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * mappings/queues.yaml: Genesys queue id to NICE skill id and proficiency (failover), NICE skill id to Genesys queue id
 * (failback). An unmapped queue or skill is reported by the sync, never guessed.
 */
public final class QueueMap {

    public static final String FILE = "queues.yaml";
    /** NICE proficiency runs from 1 (best) to 20. */
    static final int MAX_PROFICIENCY = 20;

    /** A queue on the target platform; proficiency is NICE's (ignored for Genesys queues). */
    public record Target(String id, int proficiency) {
    }

    private final Map<String, Target> failover;
    private final Map<String, Target> failback;

    private QueueMap(Map<String, Target> failover, Map<String, Target> failback) {
        this.failover = failover;
        this.failback = failback;
    }

    public Optional<Target> target(boolean failoverDirection, String sourceQueueId) {
        return Optional.ofNullable((failoverDirection ? failover : failback).get(sourceQueueId));
    }

    /** The source queue ids this direction maps. */
    public Set<String> sources(boolean failoverDirection) {
        return (failoverDirection ? failover : failback).keySet();
    }

    public static QueueMap load(MappingFile f) {
        Map<String, Node> top = f.top(Set.of("failover", "failback"));
        Map<String, Target> failover = new HashMap<>();
        for (Node entry : f.list(top.get("failover"))) {
            Map<String, Node> m = f.entries(entry, Set.of("genesysQueueId", "niceSkillId", "proficiency", "name"));
            String queue = required(f, entry, m, "genesysQueueId", "q-billing");
            String skill = required(f, entry, m, "niceSkillId", "4001");
            int proficiency = proficiency(f, m.get("proficiency"));
            if (failover.putIfAbsent(queue, new Target(skill, proficiency)) != null) {
                throw f.error(entry, "Genesys queue " + queue + " is mapped twice", "keep one entry per queue");
            }
        }
        Map<String, Target> failback = new HashMap<>();
        for (Node entry : f.list(top.get("failback"))) {
            Map<String, Node> m = f.entries(entry, Set.of("niceSkillId", "genesysQueueId", "name"));
            String skill = required(f, entry, m, "niceSkillId", "4001");
            String queue = required(f, entry, m, "genesysQueueId", "q-billing");
            if (failback.putIfAbsent(skill, new Target(queue, 0)) != null) {
                throw f.error(entry, "NICE skill " + skill + " is mapped twice", "keep one entry per skill");
            }
        }
        return new QueueMap(Map.copyOf(failover), Map.copyOf(failback));
    }

    private static String required(MappingFile f, Node entry, Map<String, Node> m, String key, String example) {
        String v = f.scalar(m.get(key));
        if (v == null || v.isEmpty()) {
            throw f.error(entry, key + " is required", "write " + key + ": " + example);
        }
        return v;
    }

    private static int proficiency(MappingFile f, Node node) {
        String v = f.scalar(node);
        if (v == null) {
            return 1;
        }
        try {
            int p = Integer.parseInt(v);
            if (p >= 1 && p <= MAX_PROFICIENCY) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw f.error(node, "proficiency '" + v + "' is not a NICE proficiency", "write a whole number from 1 (best) to " + MAX_PROFICIENCY);
    }
}
