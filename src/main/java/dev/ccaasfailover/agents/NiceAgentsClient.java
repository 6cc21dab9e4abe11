package dev.ccaasfailover.agents;

import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.platform.VendorEndpoints;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * NICE CXone's agent, state and skill APIs (docs/vendor-apis.md §5), called only from routes/platform-nice-agents.camel.yaml;
 * the paths are the {@code niceEndpoints} bean of routes/platform-nice.camel.yaml. Reads in pages (agents, agent
 * states); skills through {@link NiceSkills}; state per agent on a bounded pool, each call under the NICE request window.
 *
 * <p>NICE sets state only inside an agent session: a LoggedOut agent gets its skills at once and its mapped state
 * later, when it logs in ({@link NiceLoginWatch}); {@link #apply} hands those agents on as exchange property
 * {@value #PENDING_LOGIN}. Unavailable codes are resolved per agent's team (endpoint {@code teamUnavailableCodes}):
 * only a code assigned to the team is usable.
 */
public final class NiceAgentsClient {

    static final int PAGE = 100;
    /** An agent on a contact is working on NICE already: its state is not touched. */
    static final Set<String> CONTACT_STATES = Set.of("InboundContact", "OutboundContact", "InboundConsult", "OutboundConsult", "Dialer");
    static final String LOGGED_OUT = "LoggedOut";
    /** Exchange property: the agents whose state waits for their login (list of {@link PendingLogin}). */
    public static final String PENDING_LOGIN = "agentsPendingLogin";
    /** Exchange property: what the login watch held before this run ({@link NiceLoginWatch.View}). */
    public static final String PENDING_BEFORE = "agentsPendingBefore";

    /** The endpoint names this client (with {@link NiceSkills}) uses, checked when the routes have started. */
    public static final String[] ENDPOINTS = {"agents", "agentStates", "agentStatesSince", "agentState", "agentStateWithCode",
            "teamUnavailableCodes", "unavailableCodes", "agentSkills", "bulkSkills"};
    /** The request bodies {@link NiceSkills} sends, checked with the paths. */
    public static final String[] BODIES = {"skill", "agentSkills", "bulkSkills"};

    private final VendorHttp http;
    private final Supplier<VendorEndpoints> endpoints;
    private final int concurrency;

    /** @param endpoints the {@code niceEndpoints} bean, read when first needed (the route files are loaded after the beans) */
    public NiceAgentsClient(VendorHttp http, Supplier<VendorEndpoints> endpoints, int concurrency) {
        this.http = http;
        this.endpoints = endpoints;
        this.concurrency = concurrency;
    }

    private String path(String name, String... vars) {
        return endpoints.get().path(name, vars);
    }

    public VendorHttp http() {
        return http;
    }

    private NiceSkills skillApi() {
        return new NiceSkills(http, endpoints.get(), concurrency);
    }

    private VendorHttp api() {
        return VendorHttp.required(http, "nice");
    }

    /** Active agents with their current state; as the source (failback) also each agent's active skills. */
    public Roster roster(@Header("agentsRole") String role) {
        api();
        Map<String, Roster.Agent> agents = new LinkedHashMap<>();
        for (int skip = 0; ; skip += PAGE) {
            JsonNode page = http.get(page(path("agents"), skip));
            for (JsonNode a : page.path("agents")) {
                if (a.path("isActive").asBoolean(true)) {
                    String id = a.path("agentId").asText();
                    String team = a.path("teamId").isMissingNode() || a.path("teamId").isNull() ? null : a.path("teamId").asText();
                    agents.put(id, new Roster.Agent(id, a.path("emailAddress").asText(null), null, null, Set.of(), team));
                }
            }
            if (page.path("agents").size() < PAGE || skip + PAGE >= page.path("totalRecords").asInt(0)) {
                break;
            }
        }
        Map<String, JsonNode> states = new HashMap<>();
        for (int skip = 0; ; skip += PAGE) {
            JsonNode page = http.get(page(path("agentStates"), skip));
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
            withState.add(new Roster.Agent(a.id(), a.email(), state, reason == null || reason.isBlank() ? null : reason, Set.of(), a.team()));
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
                return new Roster.Agent(a.id(), a.email(), a.presence(), a.presenceDetail(), ids, a.team());
            });
            withState.forEach(a -> a.queues().forEach(q -> counts.merge(q, 1, Integer::sum)));
            counts.forEach((id, n) -> skills.put(id, new Roster.Queue(id, skillNames.getOrDefault(id, ""), n)));
        }
        return new Roster("nice", withState, skills);
    }

    /**
     * Sets skills (every mapped agent), then the state of logged-in agents, where they differ from the plan; with
     * {@code dryRun} only reads. The run's skill writes go into header {@code agentsSkillWrites} for the summary; agents
     * not logged in are listed in exchange property {@value #PENDING_LOGIN} for the login watch.
     */
    @SuppressWarnings("unchecked")
    public List<AgentOutcome> apply(@Body SyncPlan plan, @Header("dryRun") boolean dryRun, Exchange exchange) {
        api();
        Map<String, Map<String, Integer>> wanted = new LinkedHashMap<>();
        plan.items().forEach(i -> wanted.put(i.targetId(), i.queues()));
        NiceSkills.Outcome skills = skillApi().sync(wanted, dryRun);
        exchange.getMessage().setHeader("agentsSkillWrites", skills.writes().toMap());
        NiceLoginWatch.View before = exchange.getProperty(PENDING_BEFORE, NiceLoginWatch.View.class);
        NiceLoginWatch.View view = before == null ? new NiceLoginWatch.View(Map.of(), Set.of()) : before;
        TeamCodes codes = new TeamCodes();
        List<PendingLogin> pending = java.util.Collections.synchronizedList(new ArrayList<>());
        List<AgentOutcome> outcomes = BoundedParallel.map(plan.items(), concurrency, "nice-agents-apply", item -> {
            try {
                return applyOne(item, codes, skills.byAgent().get(item.targetId()), dryRun, view, pending);
            } catch (VendorCallException e) {
                return new AgentOutcome(item.email(), AgentOutcome.FAILED, e.getMessage(), item.from(), item.desired().toString());
            }
        });
        exchange.setProperty(PENDING_LOGIN, List.copyOf(pending));
        return outcomes;
    }

    /**
     * The unavailable codes of each agent's team, read once per team and run: items {@code outstateId, outstateName,
     * isActive, isAcw} of {@code GET /teams/{teamId}/unavailable-codes} (docs/vendor-apis.md §5). The business unit's list
     * ({@code outStateId, outStateName}) is read only to say why a code is missing from a team.
     */
    private final class TeamCodes {
        private final Map<String, Map<String, JsonNode>> byTeam = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile Set<String> businessUnitNames;

        /** The code's id on the team, or a failure reason (prefixed "!"). */
        String resolve(String team, String name) {
            if (team == null) {
                return "!agent has no team on NICE, so no unavailable code is usable for it";
            }
            Map<String, JsonNode> codes = byTeam.computeIfAbsent(team, t -> {
                Map<String, JsonNode> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (JsonNode c : http.get(path("teamUnavailableCodes", "teamId", t)).path("unavailableCodes")) {
                    if (c.path("isActive").asBoolean(true)) {
                        m.put(c.path("outstateName").asText(), c);
                    }
                }
                return m;
            });
            JsonNode code = codes.get(name);
            if (code == null) {
                boolean exists = businessUnit().stream().anyMatch(n -> n.equalsIgnoreCase(name));
                return "!unavailable code '" + name + "' " + (exists ? "is not assigned to team " + team
                        + " on NICE; assign it to the team there" : "is not an active code on NICE; add it there")
                        + " or change presence.yaml";
            }
            if (code.path("isAcw").asBoolean(false)) {
                return "!unavailable code '" + name + "' is an ACW code, which NICE refuses without a contact;"
                        + " map the presence to a non-ACW code in presence.yaml";
            }
            return code.path("outstateId").asText();
        }

        private Set<String> businessUnit() {
            if (businessUnitNames == null) {
                Set<String> names = new java.util.HashSet<>();
                http.get(path("unavailableCodes")).path("unavailableCodes").forEach(c -> names.add(c.path("outStateName").asText()));
                businessUnitNames = names;
            }
            return businessUnitNames;
        }
    }

    /** @param skills the skills phase's result for this agent, null when its skills already held */
    private AgentOutcome applyOne(SyncPlan.Item item, TeamCodes codes, NiceSkills.Result skills, boolean dryRun,
                                  NiceLoginWatch.View before, List<PendingLogin> pending) {
        TargetState want = item.desired();
        TargetState current = item.current();
        boolean onContact = current != null && CONTACT_STATES.contains(current.state());
        boolean loggedIn = current != null && !LOGGED_OUT.equals(current.state());
        // settled at login by the running watch: the state it set, or the one the agent chose then, is kept
        boolean settled = loggedIn && before.settled().contains(item.targetId());
        boolean stateDiffers = !onContact && !settled && !SyncPlanner.holds(current, want);
        int codeId = 0;
        if (stateDiffers && want.state().equals("Unavailable")) {
            String resolved = codes.resolve(item.targetTeam(), want.reason());
            if (resolved.startsWith("!")) {
                return new AgentOutcome(item.email(), AgentOutcome.FAILED, resolved.substring(1), item.from(), want.toString());
            }
            codeId = Integer.parseInt(resolved);
        }
        PendingLogin waits = stateDiffers && !loggedIn
                ? new PendingLogin(item.targetId(), item.email(), want.state(), want.reason(), codeId) : null;
        boolean alreadyWaiting = waits != null && waits.equals(before.waiting().get(item.targetId()));
        if (waits != null) {
            pending.add(waits);
        }
        List<String> changes = new ArrayList<>();
        if (stateDiffers && loggedIn) {
            changes.add(current + " -> " + want);
        } else if (waits != null && !alreadyWaiting) {
            changes.add(want + " when the agent logs in (LoggedOut on NICE)");
        }
        if (skills != null && skills.changes() != null) {
            changes.add(skills.changes());
        }
        String to = want + (item.queues().isEmpty() ? "" : " skills " + String.join(",", item.queues().keySet()));
        String note = onContact ? "; on a contact on NICE (" + current.state() + "): state left alone"
                : settled && !SyncPlanner.holds(current, want) ? "; " + current + " since the agent's login: left alone"
                : alreadyWaiting ? "; " + want + " already waits for the agent's login" : "";
        boolean skillsFailed = skills != null && skills.failure() != null;
        if (skillsFailed && (dryRun || !(stateDiffers && loggedIn))) {
            return new AgentOutcome(item.email(), AgentOutcome.FAILED, skills.failure() + note, item.from(), to);
        }
        if (changes.isEmpty()) {
            return new AgentOutcome(item.email(), AgentOutcome.UNCHANGED, (alreadyWaiting || settled ? "nothing to change" : "already "
                    + (onContact ? current.state() : want)) + note, item.from(), to);
        }
        if (dryRun) {
            return new AgentOutcome(item.email(), AgentOutcome.UPDATED, "dry run, would change: " + String.join("; ", changes) + note,
                    item.from(), to);
        }
        if (stateDiffers && loggedIn && !setState(item.targetId(), want.state(), codeId)) {
            // logged out between the roster read and now: the watch applies the state at the next login
            pending.add(new PendingLogin(item.targetId(), item.email(), want.state(), want.reason(), codeId));
            changes.set(0, want + " when the agent logs in (logged out meanwhile)");
        }
        if (skillsFailed) {
            return new AgentOutcome(item.email(), AgentOutcome.FAILED, skills.failure() + " (state was set)", item.from(), to);
        }
        return new AgentOutcome(item.email(), AgentOutcome.UPDATED, String.join("; ", changes) + note, item.from(), to);
    }

    /**
     * Sets an agent's state (endpoint {@code agentState}, or {@code agentStateWithCode}): Available, or Unavailable with the
     * team's code id.
     *
     * @return false when NICE answers 409, i.e. the agent has no session (logged out): not a failure, the state waits
     */
    public boolean setState(String agentId, String state, int outStateId) {
        try {
            http.call("POST", outStateId == 0 ? path("agentState", "agentId", agentId, "state", state)
                    : path("agentStateWithCode", "agentId", agentId, "state", state, "outStateId", String.valueOf(outStateId)), null);
            return true;
        } catch (VendorCallException e) {
            if (e.status() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** One read of the real-time agent states, every page. */
    public record AgentStates(List<JsonNode> states, String lastPollTime) { }

    /**
     * The real-time agent states, every page; with {@code updatedSince} (NICE's {@code lastPollTime} of the previous
     * read) only the agents whose state changed since.
     */
    public AgentStates agentStates(String updatedSince) {
        api();
        List<JsonNode> states = new ArrayList<>();
        String lastPollTime = null;
        String states0 = updatedSince == null ? path("agentStates") : path("agentStatesSince", "since", updatedSince);
        for (int skip = 0; ; skip += PAGE) {
            JsonNode page = http.get(page(states0, skip));
            if (lastPollTime == null) {
                lastPollTime = page.path("lastPollTime").asText(null);
            }
            page.path("agentStates").forEach(states::add);
            if (page.path("agentStates").size() < PAGE || skip + PAGE >= page.path("totalRecords").asInt(0)) {
                break;
            }
        }
        return new AgentStates(states, lastPollTime);
    }

    private static String page(String path, int skip) {
        return path + (path.contains("?") ? "&" : "?") + "top=" + PAGE + "&skip=" + skip;
    }
}
