package dev.ccaasfailover.agents;

import org.apache.camel.Body;
import org.apache.camel.Header;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.platform.VendorEndpoints;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Genesys Cloud's user, presence and queue APIs (docs/vendor-apis.md §3), called only from
 * routes/platform-genesys-agents.camel.yaml; the paths are the {@code genesysEndpoints} bean of
 * routes/platform-genesys.camel.yaml. Reads in bulk: users with presence and routing status expanded, in pages
 * (bulk presences, at most 50 ids a call, for users whose presence the expand left out), queue members per queue
 * (100 a page), never per user. Writes (failback): presence by PATCH with the {@code type: System} definition of the
 * wanted system presence, queue members added per queue in batches of 100. Every listing is read until a page is empty, short or has no
 * {@code nextUri}: Genesys no longer answers {@code total}, {@code pageCount} or {@code lastUri} on queue members.
 */
public final class GenesysAgentsClient {

    static final int PAGE = 100;
    static final int BULK_PRESENCE_IDS = 50;
    static final int MEMBERS_PER_CHANGE = 100;
    /** A bound on one listing (100 a page: a million entries), so a server that always answers a next page cannot loop us. */
    static final int MAX_PAGES = 10_000;

    /** The endpoint names this client uses, checked when the routes have started. */
    public static final String[] ENDPOINTS = {"users", "bulkPresence", "queues", "queueMembers", "presenceDefinitions", "userPresence"};
    /** The request bodies this client sends, checked with the paths. */
    public static final String[] BODIES = {"queueMember", "queueMembersAdd", "userPresence"};

    private final VendorHttp http;
    private final Supplier<VendorEndpoints> endpoints;
    private final int concurrency;

    /** @param endpoints the {@code genesysEndpoints} bean, read when first needed (the route files are loaded after the beans) */
    public GenesysAgentsClient(VendorHttp http, Supplier<VendorEndpoints> endpoints, int concurrency) {
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

    private VendorHttp api() {
        return VendorHttp.required(http, "genesys");
    }

    /**
     * Active users with presence; all queues with their member counts; and, as the source (failover), the membership
     * of {@code memberQueues} (the queues the mapping knows; the others are only counted).
     */
    public Roster roster(@Header("agentsRole") String role, @Header("agentsQueueIds") Collection<String> memberQueues) {
        api();
        Map<String, String[]> users = new LinkedHashMap<>(); // id -> email, systemPresence, definition id
        forEachEntity(path("users"), u -> {
            JsonNode def = u.path("presence").path("presenceDefinition");
            users.put(u.path("id").asText(), new String[] {u.path("email").asText(null),
                    def.path("systemPresence").asText(null), def.path("id").asText(null)});
        });
        // expand is "best effort": fetch what it left out in bulk
        List<String> missing = users.entrySet().stream().filter(e -> e.getValue()[1] == null).map(Map.Entry::getKey).toList();
        for (int i = 0; i < missing.size(); i += BULK_PRESENCE_IDS) {
            List<String> ids = missing.subList(i, Math.min(i + BULK_PRESENCE_IDS, missing.size()));
            // the SDK's "multi" form (id=a&id=b); the API's description also allows comma-separated ids
            String query = ids.stream().map(id -> "id=" + enc(id)).collect(java.util.stream.Collectors.joining("&"));
            for (JsonNode p : http.get(path("bulkPresence") + "?" + query)) {
                String[] u = users.get(p.path("userId").asText(p.path("id").asText()));
                if (u != null) {
                    u[1] = p.path("presenceDefinition").path("systemPresence").asText(null);
                    u[2] = p.path("presenceDefinition").path("id").asText(null);
                }
            }
        }
        Map<String, Roster.Queue> queues = new TreeMap<>();
        forEachEntity(path("queues"), q -> queues.put(q.path("id").asText(),
                new Roster.Queue(q.path("id").asText(), q.path("name").asText(""), q.path("memberCount").asInt(0))));
        Map<String, Set<String>> queuesOfUser = new HashMap<>();
        if ("source".equals(role)) {
            List<String> toRead = memberQueues == null ? List.of() : memberQueues.stream().filter(queues::containsKey).sorted().toList();
            List<Map.Entry<String, Set<String>>> members = BoundedParallel.map(toRead, concurrency, "genesys-members-read",
                    q -> Map.entry(q, members(q)));
            for (Map.Entry<String, Set<String>> e : members) {
                e.getValue().forEach(u -> queuesOfUser.computeIfAbsent(u, k -> new TreeSet<>()).add(e.getKey()));
            }
        }
        List<Roster.Agent> agents = new ArrayList<>();
        users.forEach((id, u) -> agents.add(new Roster.Agent(id, u[0], u[1], u[2], Set.copyOf(queuesOfUser.getOrDefault(id, Set.of())))));
        return new Roster("genesys", agents, queues);
    }

    private Set<String> members(String queueId) {
        Set<String> ids = new LinkedHashSet<>();
        forEachEntity(path("queueMembers", "queueId", queueId),
                m -> ids.add(m.path("user").path("id").asText(m.path("id").asText())));
        return ids;
    }

    /**
     * Every entity of a paged listing, {@value #PAGE} a page, until a page is empty, short, or names no {@code nextUri}.
     * The next page is asked for by number with our own query rather than by following {@code nextUri} verbatim, so
     * the parameters (expand, state: the endpoint's own query) are the ones we chose on every page.
     */
    private void forEachEntity(String path, java.util.function.Consumer<JsonNode> each) {
        String sep = path.contains("?") ? "&" : "?";
        for (int pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
            JsonNode page = http.get(path + sep + "pageSize=" + PAGE + "&pageNumber=" + pageNumber);
            JsonNode entities = page.path("entities");
            entities.forEach(each);
            String next = page.path("nextUri").asText("");
            // short against the size the server says it used, which may be smaller than the one asked for
            if (entities.size() < page.path("pageSize").asInt(PAGE) || next.isBlank()) {
                return;
            }
        }
        throw new VendorCallException(0, "genesys: " + path.split("\\?")[0] + " still had a next page after " + MAX_PAGES + " pages");
    }

    /** Failback: presence and queue memberships where they differ from the plan; with {@code dryRun} only reads. */
    public List<AgentOutcome> apply(@Body SyncPlan plan, @Header("dryRun") boolean dryRun) {
        api();
        // type User definitions (the org's secondary presences) share a systemPresence with the System one: skip them
        Map<String, String> definitions = new HashMap<>();
        for (JsonNode d : http.get(path("presenceDefinitions")).path("entities")) {
            if ("System".equals(d.path("type").asText()) && !d.path("deactivated").asBoolean(false)) {
                definitions.putIfAbsent(PresenceMap.normalise(d.path("systemPresence").asText()), d.path("id").asText());
            }
        }
        // queue memberships: read each target queue once, add the missing members in batches of 100
        Map<String, List<SyncPlan.Item>> wantedByQueue = new TreeMap<>();
        plan.items().forEach(i -> i.queues().keySet().forEach(q -> wantedByQueue.computeIfAbsent(q, k -> new ArrayList<>()).add(i)));
        Map<String, List<String>> added = new HashMap<>();
        Map<String, String> failedQueues = new HashMap<>();
        BoundedParallel.map(new ArrayList<>(wantedByQueue.entrySet()), concurrency, "genesys-members-apply", e -> {
            String queue = e.getKey();
            try {
                Set<String> have = members(queue);
                List<String> missing = e.getValue().stream().map(SyncPlan.Item::targetId).filter(id -> !have.contains(id)).distinct().toList();
                for (int i = 0; i < missing.size() && !dryRun; i += MEMBERS_PER_CHANGE) {
                    List<JsonNode> members = missing.subList(i, Math.min(i + MEMBERS_PER_CHANGE, missing.size()))
                            .stream().map(id -> endpoints.get().body("queueMember", "userId", id)).toList();
                    http.call("POST", path("queueMembers", "queueId", queue), endpoints.get().body("queueMembersAdd", "members", members));
                }
                synchronized (added) {
                    missing.forEach(id -> added.computeIfAbsent(id, k -> new ArrayList<>()).add(queue));
                }
            } catch (VendorCallException ex) {
                synchronized (failedQueues) {
                    failedQueues.put(queue, ex.getMessage());
                }
            }
            return queue;
        });
        return BoundedParallel.map(plan.items(), concurrency, "genesys-presence-apply", item -> {
            TargetState want = item.desired();
            String to = want + (item.queues().isEmpty() ? "" : " queues " + String.join(",", item.queues().keySet()));
            List<String> changes = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            item.queues().keySet().stream().filter(failedQueues::containsKey).forEach(q -> failures.add(failedQueues.get(q)));
            List<String> queuesAdded = added.getOrDefault(item.targetId(), List.of());
            if (!queuesAdded.isEmpty()) {
                changes.add("+queues " + String.join(",", queuesAdded));
            }
            if (!SyncPlanner.holds(item.current(), want)) {
                String definition = definitions.get(want.state());
                if (definition == null) {
                    failures.add("no presence definition for " + want.state() + " on Genesys");
                } else {
                    changes.add((item.current() == null ? "?" : item.current().toString()) + " -> " + want);
                    if (!dryRun) {
                        try {
                            http.call("PATCH", path("userPresence", "userId", item.targetId()),
                                    endpoints.get().body("userPresence", "definitionId", definition));
                        } catch (VendorCallException ex) {
                            failures.add(ex.getMessage());
                        }
                    }
                }
            }
            if (!failures.isEmpty()) {
                return new AgentOutcome(item.email(), AgentOutcome.FAILED, String.join("; ", failures), item.from(), to);
            }
            if (changes.isEmpty()) {
                return new AgentOutcome(item.email(), AgentOutcome.UNCHANGED, "already " + want, item.from(), to);
            }
            return new AgentOutcome(item.email(), AgentOutcome.UPDATED, (dryRun ? "dry run, would change: " : "")
                    + String.join("; ", changes), item.from(), to);
        });
    }

    private static String enc(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8);
    }
}
