package dev.ccaasfailover.agents;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Matches the source platform's agents to the target's (overrides in agents.yaml first, then e-mail) and maps their
 * presence and queues. Pure: no I/O, so every rule is tested without a platform.
 */
public final class SyncPlanner {

    private final AgentMappings mappings;

    public SyncPlanner(AgentMappings mappings) {
        this.mappings = mappings;
    }

    public SyncPlan plan(String direction, boolean dryRun, Roster source, Roster target) {
        boolean g2n = source.platform().equals("genesys");
        Map<String, List<Roster.Agent>> targetsByKey = new HashMap<>();
        for (Roster.Agent t : target.agents()) {
            targetsByKey.computeIfAbsent(AgentOverrides.key(t.id()), k -> new ArrayList<>()).add(t);
            if (t.email() != null && !t.email().isBlank()) {
                targetsByKey.computeIfAbsent(AgentOverrides.key(t.email()), k -> new ArrayList<>()).add(t);
            }
        }
        List<SyncPlan.Item> items = new ArrayList<>();
        List<AgentOutcome> settled = new ArrayList<>();
        Set<String> unmappedQueueIds = new TreeSet<>();
        for (Roster.Agent s : source.agents()) {
            String who = s.email() == null || s.email().isBlank() ? source.platform() + ":" + s.id() : s.email();
            String from = s.presenceDetail() == null || s.presenceDetail().isBlank() || g2n
                    ? s.presence() : s.presence() + "/" + s.presenceDetail();
            Optional<TargetState> desired = g2n ? mappings.presence().failover(s.presence(), s.presenceDetail())
                    : mappings.presence().failback(s.presence(), s.presenceDetail());
            if (desired.isEmpty()) {
                settled.add(new AgentOutcome(who, AgentOutcome.SKIPPED, s.presence() + " on " + source.platform()
                        + ": left alone (presence.yaml)", from, null));
                continue;
            }
            Optional<String> override = mappings.overrides().targetFor(g2n, s.id(), s.email());
            String key = override.orElse(AgentOverrides.key(s.email()));
            List<Roster.Agent> matches = key.isEmpty() ? List.of() : targetsByKey.getOrDefault(key, List.of());
            if (matches.size() != 1) {
                String reason = matches.isEmpty()
                        ? (override.isPresent() ? "override in agents.yaml names " + override.get() + ", not an agent on " + target.platform()
                        : "no " + target.platform() + " agent with e-mail " + (key.isEmpty() ? "(none)" : key)
                        + "; add an override in agents.yaml")
                        : matches.size() + " " + target.platform() + " agents share " + key + "; add an override in agents.yaml";
                settled.add(new AgentOutcome(who, AgentOutcome.UNMATCHED, reason, from, desired.get().toString()));
                continue;
            }
            Roster.Agent t = matches.get(0);
            Map<String, Integer> queues = new LinkedHashMap<>();
            for (String q : new TreeSet<>(s.queues())) {
                Optional<QueueMap.Target> mapped = mappings.queues().target(g2n, q);
                if (mapped.isPresent()) {
                    queues.put(mapped.get().id(), mapped.get().proficiency());
                } else {
                    unmappedQueueIds.add(q);
                }
            }
            TargetState current = t.presence() == null ? null : currentState(g2n, t);
            items.add(new SyncPlan.Item(who, s.id(), t.id(), from, desired.get(), current, queues, t.team()));
        }
        List<Roster.Queue> unmapped = new ArrayList<>();
        Set<String> mapped = mappings.queues().sources(g2n);
        for (Roster.Queue q : source.queues().values()) {
            if (!mapped.contains(q.id()) && (q.memberCount() > 0 || unmappedQueueIds.contains(q.id()))) {
                unmapped.add(q);
            }
        }
        for (String id : unmappedQueueIds) {
            if (!source.queues().containsKey(id)) {
                unmapped.add(new Roster.Queue(id, "", 0));
            }
        }
        return new SyncPlan(direction, source.platform(), target.platform(), g2n, dryRun, items, settled, unmapped);
    }

    /** The target's current state in the same terms as the desired one. */
    private static TargetState currentState(boolean targetIsNice, Roster.Agent t) {
        if (targetIsNice) {
            return new TargetState(t.presence(), t.presence().equalsIgnoreCase("Unavailable") ? t.presenceDetail() : null);
        }
        return TargetState.of(PresenceMap.normalise(t.presence()));
    }

    /** True when the target already holds the desired state (reason codes compare case-insensitively). */
    public static boolean holds(TargetState current, TargetState desired) {
        if (current == null) {
            return false;
        }
        boolean sameState = current.state().equalsIgnoreCase(desired.state());
        boolean sameReason = desired.reason() == null
                || (current.reason() != null && current.reason().toLowerCase(Locale.ROOT).equals(desired.reason().toLowerCase(Locale.ROOT)));
        return sameState && sameReason;
    }
}
