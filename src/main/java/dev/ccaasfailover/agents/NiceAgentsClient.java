package dev.ccaasfailover.agents;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.Headers;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * NICE CXone's agent, state and skill APIs (VENDOR-APIS.md §5), called only from routes/platform-nice-agents.camel.yaml.
 * Reads in pages ({@code GET /agents}, {@code GET /agents/states}); skills through {@link NiceSkills}; state per agent
 * ({@code POST /agents/{id}/state}) on a bounded pool, each call under the NICE request window.
 */
public final class NiceAgentsClient {

    static final int PAGE = 100;
    /** An agent on a contact is working on NICE already: its state is not touched. */
    static final Set<String> CONTACT_STATES = Set.of("InboundContact", "OutboundContact", "InboundConsult", "OutboundConsult", "Dialer");

    private final VendorHttp http;
    private final int concurrency;

    public NiceAgentsClient(VendorHttp http, int concurrency) {
        this.http = http;
        this.concurrency = concurrency;
    }

    public VendorHttp http() {
        return http;
    }

    private NiceSkills skillApi() {
        return new NiceSkills(http, concurrency);
    }

    private VendorHttp api() {
        return VendorHttp.required(http, "nice");
    }

    /** Active agents with their current state; as the source (failback) also each agent's active skills. */
    public Roster roster(@Header("agentsRole") String role) {
        api();
        Map<String, Roster.Agent> agents = new LinkedHashMap<>();
        for (int skip = 0; ; skip += PAGE) {
            JsonNode page = http.get("/agents?isActive=true&top=" + PAGE + "&skip=" + skip);
            for (JsonNode a : page.path("agents")) {
                if (a.path("isActive").asBoolean(true)) {
                    String id = a.path("agentId").asText();
                    agents.put(id, new Roster.Agent(id, a.path("emailAddress").asText(null), null, null, Set.of()));
                }
            }
            if (page.path("agents").size() < PAGE || skip + PAGE >= page.path("totalRecords").asInt(0)) {
                break;
            }
        }
        Map<String, JsonNode> states = new HashMap<>();
        for (int skip = 0; ; skip += PAGE) {
            JsonNode page = http.get("/agents/states?top=" + PAGE + "&skip=" + skip);
            page.path("agentStates").forEach(s -> states.put(s.path("agentId").asText(), s));
            if (page.path("agentStates").size() < PAGE || skip + PAGE >= page.path("totalRecords").asInt(0)) {
                break;
            }
        }
        List<Roster.Agent> withState = new ArrayList<>();
        for (Roster.Agent a : agents.values()) {
            JsonNode s = states.get(a.id());
            String state = s == null ? "LoggedOut" : s.path("agentStateName").asText("LoggedOut");
            String reason = s == null ? null : s.path("outStateDescription").asText(null);
            withState.add(new Roster.Agent(a.id(), a.email(), state, reason == null || reason.isBlank() ? null : reason, Set.of()));
        }
        Map<String, Roster.Queue> skills = new TreeMap<>();
        if ("source".equals(role)) {
            Map<String, String> skillNames = new HashMap<>();
            Map<String, Integer> counts = new HashMap<>();
            withState = BoundedParallel.map(withState, concurrency, "nice-skills-read", a -> {
                Set<String> ids = new LinkedHashSet<>();
                for (NiceSkills.Assignment sk : skillApi().read(a.id()).values()) {
                    if (sk.active()) {
                        ids.add(sk.skillId());
                        synchronized (skillNames) {
                            skillNames.put(sk.skillId(), sk.skillName());
                        }
                    }
                }
                return new Roster.Agent(a.id(), a.email(), a.presence(), a.presenceDetail(), ids);
            });
            withState.forEach(a -> a.queues().forEach(q -> counts.merge(q, 1, Integer::sum)));
            counts.forEach((id, n) -> skills.put(id, new Roster.Queue(id, skillNames.getOrDefault(id, ""), n)));
        }
        return new Roster("nice", withState, skills);
    }

    /**
     * Sets skills, then state, where they differ from the plan; with {@code dryRun} only reads. The run's skill writes
     * go into header {@code agentsSkillWrites} for the summary.
     */
    public List<AgentOutcome> apply(@Body SyncPlan plan, @Header("dryRun") boolean dryRun, @Headers Map<String, Object> headers) {
        api();
        Map<String, Map<String, Integer>> wanted = new LinkedHashMap<>();
        plan.items().forEach(i -> wanted.put(i.targetId(), i.queues()));
        NiceSkills.Outcome skills = skillApi().sync(wanted, dryRun);
        headers.put("agentsSkillWrites", skills.writes().toMap());
        Map<String, Integer> codes = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (JsonNode c : http.get("/unavailable-codes").path("unavailableCodes")) {
            if (c.path("isActive").asBoolean(true)) {
                codes.put(c.path("name").asText(), c.path("id").asInt());
            }
        }
        return BoundedParallel.map(plan.items(), concurrency, "nice-agents-apply", item -> {
            try {
                return applyOne(item, codes, skills.byAgent().get(item.targetId()), dryRun);
            } catch (VendorCallException e) {
                return new AgentOutcome(item.email(), AgentOutcome.FAILED, e.getMessage(), item.from(), item.desired().toString());
            }
        });
    }

    /** @param skills the skills phase's result for this agent, null when its skills already held */
    private AgentOutcome applyOne(SyncPlan.Item item, Map<String, Integer> codes, NiceSkills.Result skills, boolean dryRun) {
        TargetState want = item.desired();
        TargetState current = item.current();
        boolean onContact = current != null && CONTACT_STATES.contains(current.state());
        boolean stateDiffers = !onContact && !SyncPlanner.holds(current, want);
        Integer codeId = null;
        if (stateDiffers && want.state().equals("Unavailable")) {
            codeId = codes.get(want.reason());
            if (codeId == null) {
                return new AgentOutcome(item.email(), AgentOutcome.FAILED, "unavailable code '" + want.reason()
                        + "' is not an active code on NICE; add it there or change presence.yaml", item.from(), want.toString());
            }
        }
        List<String> changes = new ArrayList<>();
        if (stateDiffers) {
            changes.add((current == null ? "?" : current.toString()) + " -> " + want);
        }
        if (skills != null && skills.changes() != null) {
            changes.add(skills.changes());
        }
        String to = want + (item.queues().isEmpty() ? "" : " skills " + String.join(",", item.queues().keySet()));
        String note = onContact ? "; on a contact on NICE (" + current.state() + "): state left alone" : "";
        boolean skillsFailed = skills != null && skills.failure() != null;
        if (skillsFailed && (dryRun || !stateDiffers)) {
            return new AgentOutcome(item.email(), AgentOutcome.FAILED, skills.failure() + note, item.from(), to);
        }
        if (changes.isEmpty()) {
            return new AgentOutcome(item.email(), AgentOutcome.UNCHANGED, "already " + (onContact ? current.state() : want)
                    + note, item.from(), to);
        }
        if (dryRun) {
            return new AgentOutcome(item.email(), AgentOutcome.UPDATED, "dry run, would change: " + String.join("; ", changes) + note,
                    item.from(), to);
        }
        if (stateDiffers) {
            http.call("POST", "/agents/" + item.targetId() + "/state?state=" + want.state()
                    + (codeId == null ? "" : "&outStateId=" + codeId), null);
        }
        if (skillsFailed) {
            return new AgentOutcome(item.email(), AgentOutcome.FAILED, skills.failure() + " (state was set)", item.from(), to);
        }
        return new AgentOutcome(item.email(), AgentOutcome.UPDATED, String.join("; ", changes) + note, item.from(), to);
    }
}
