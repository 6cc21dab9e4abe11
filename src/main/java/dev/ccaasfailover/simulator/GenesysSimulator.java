package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Collectors;

/**
 * Genesys Cloud CX platform API simulator (docs/vendor-apis.md §1, §3): OAuth client credentials, organization,
 * trunk base settings (versioned PUT), users with presence/routing status, bulk presence and queue members.
 * The login host and the API host are the same server here.
 * <p>Size: one class per simulated vendor, so that every Genesys endpoint we call is in one file to check against
 * docs/vendor-apis.md §1 and §3.
 */
public class GenesysSimulator extends SimulatedHttpServer {

    public static final int BULK_PRESENCE_MAX_IDS = 50;
    public static final int USERS_MAX_PAGE_SIZE = 500; // the real maximum is unconfirmed
    public static final int QUEUE_MEMBERS_MAX_PAGE_SIZE = 100;
    /** {@code POST /api/v2/routing/queues/{id}/members} takes at most 100 members a call. */
    public static final int QUEUE_MEMBERS_MAX_CHANGE = 100;
    /** The org's system presence definitions, spelled as {@code /api/v2/presence/definitions} answers them. */
    public static final List<String> SYSTEM_PRESENCES = List.of("Available", "Away", "Busy", "Offline", "Idle", "On Queue",
            "Meal", "Training", "Meeting", "Break");
    /**
     * The org's own (type User) presence definitions: secondary presences that share a system presence with the
     * System entry (docs/vendor-apis.md §3). Listed before the System entries, as a client that takes
     * the first match per system presence would otherwise not notice.
     */
    public static final Map<String, String> USER_PRESENCES = Map.of("Lunch", "Meal", "Coaching", "Training",
            "Do not disturb", "Busy");
    private static final int DEFAULT_PAGE_SIZE = 25;
    /** Genesys writes timestamps in UTC with exactly three fractional digits; the SDK misreads longer fractions. */
    private static final java.time.format.DateTimeFormatter MILLIS = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
    /** The fields a trunk base settings PUT writes (TrunkBase minus what the server keeps: dates, state, authors). */
    static final Set<String> TRUNK_WRITABLE = Set.of("id", "name", "description", "version", "division", "trunkMetabase",
            "properties", "trunkType", "managed", "site", "inboundSite");

    /** One seeded agent; replaced as a whole when presence or routing status changes. */
    public record Agent(String id, String name, String email, String systemPresence, Instant presenceModified,
                        String routingStatus, Instant routingStatusStart, String presenceDefinitionId) {
    }

    public record Queue(String id, String name) {
    }

    private final TokenIssuer tokens = new TokenIssuer(clock);
    private final ConcurrentSkipListMap<String, Agent> agents = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<String, Queue> queues = new ConcurrentSkipListMap<>();
    private final Map<String, NavigableSet<String>> queueMembers = new ConcurrentHashMap<>();
    private final Map<String, ObjectNode> trunkBases = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> concurrentEdits = new ConcurrentHashMap<>();
    private volatile int staleVersionStatus = 409;
    private static final int EVERY_READ = -1;
    private final Set<String> expandOmitsPresence = ConcurrentHashMap.newKeySet();
    private final Router router = new Router(false);
    private final String orgId = UUID.nameUUIDFromBytes("simulated-genesys-org".getBytes(StandardCharsets.UTF_8)).toString();

    private volatile String clientId = "sim-genesys-client";
    private volatile String clientSecret = "sim-genesys-secret";
    private volatile int tokenLifetimeSeconds = 86_400;

    public GenesysSimulator(int port) {
        super("genesys", port);
        router.add("POST", "/oauth/token", (req, p) -> token(req))
                .add("GET", "/api/v2/organizations/me", (req, p) -> SimResponse.json(200, organization()))
                .add("GET", "/api/v2/telephony/providers/edges/trunkbasesettings/{id}", (req, p) -> getTrunkBase(p.get("id"), req))
                .add("PUT", "/api/v2/telephony/providers/edges/trunkbasesettings/{id}", (req, p) -> putTrunkBase(p.get("id"), req))
                .add("GET", "/api/v2/users", (req, p) -> users(req))
                .add("GET", "/api/v2/users/presences/purecloud/bulk", (req, p) -> bulkPresence(req))
                .add("GET", "/api/v2/users/{userId}", (req, p) -> user(p.get("userId"), req))
                .add("GET", "/api/v2/users/{userId}/presences/purecloud", (req, p) -> SimResponse.json(200, presenceJson(agent(p.get("userId")))))
                .add("PATCH", "/api/v2/users/{userId}/presences/purecloud", (req, p) -> patchPresence(p.get("userId"), req))
                .add("GET", "/api/v2/presence/definitions", (req, p) -> presenceDefinitions())
                .add("GET", "/api/v2/users/{userId}/queues", (req, p) -> queuesOfUser(p.get("userId"), req))
                .add("GET", "/api/v2/routing/users/{userId}/routingstatus", (req, p) -> SimResponse.json(200, routingStatusJson(agent(p.get("userId")))))
                .add("GET", "/api/v2/routing/queues", (req, p) -> queueList(req))
                .add("GET", "/api/v2/routing/queues/{queueId}", (req, p) -> SimResponse.json(200, queueJson(queue(p.get("queueId")))))
                .add("GET", "/api/v2/routing/queues/{queueId}/members", (req, p) -> queueMemberList(p.get("queueId"), req))
                .add("POST", "/api/v2/routing/queues/{queueId}/members", (req, p) -> changeQueueMembers(p.get("queueId"), req));
    }

    @Override
    public GenesysSimulator start() {
        super.start();
        return this;
    }

    // ---- configuration and seeding ----

    public void setCredentials(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public void setTokenLifetimeSeconds(int seconds) {
        this.tokenLifetimeSeconds = seconds;
    }

    /** Invalidates every token issued so far. */
    public void revokeTokens() {
        tokens.revokeAll();
    }

    public String tokenUrl() {
        return baseUrl() + "/oauth/token";
    }

    public String orgId() {
        return orgId;
    }

    /**
     * @param systemPresence stored and answered verbatim ("Available", "On Queue", "AVAILABLE", ...): the
     *                       spelling differs between Genesys APIs, so clients must normalise it
     * @param routingStatus  OFF_QUEUE, IDLE, INTERACTING, NOT_RESPONDING or COMMUNICATING
     */
    public void addAgent(String id, String name, String email, String systemPresence, String routingStatus) {
        Instant now = now();
        agents.put(id, new Agent(id, name, email, systemPresence, now, routingStatus, now, systemPresenceDefinitionId(systemPresence)));
    }

    /** Sets a user's presence to the System definition of {@code systemPresence}. */
    public void setPresence(String userId, String systemPresence) {
        setPresence(userId, systemPresence, systemPresenceDefinitionId(systemPresence));
    }

    private void setPresence(String userId, String systemPresence, String definitionId) {
        agents.computeIfPresent(userId, (k, a) -> new Agent(a.id(), a.name(), a.email(), systemPresence, now(),
                a.routingStatus(), a.routingStatusStart(), definitionId));
    }

    /** Genesys' expand is "best effort": {@code expand=presence} leaves this user's presence out (bulk presence has it). */
    public void omitPresenceFromExpand(String userId) {
        expandOmitsPresence.add(userId);
    }

    public Optional<Agent> agentById(String userId) {
        return Optional.ofNullable(agents.get(userId));
    }

    public void addQueue(String id, String name) {
        queues.put(id, new Queue(id, name));
        queueMembers.computeIfAbsent(id, k -> new ConcurrentSkipListSet<>());
    }

    public void addQueueMember(String queueId, String userId) {
        if (!queues.containsKey(queueId)) {
            throw new IllegalArgumentException("unknown queue " + queueId);
        }
        queueMembers.get(queueId).add(userId);
    }

    /** Seeds a trunk base settings object with {@code properties.trunk_enabled.value.instance = enabled}. */
    public void addTrunkBaseSettings(String id, String name, boolean enabled) {
        ObjectNode trunk = Json.object().put("id", id).put("name", name).put("version", 1).put("state", "active")
                .put("trunkType", "EXTERNAL").put("managed", false);
        trunk.putObject("trunkMetabase").put("id", "external_sip_pcv_byoc_carrier.json").put("name", "Generic BYOC Carrier");
        ObjectNode properties = trunk.putObject("properties");
        properties.putObject("trunk_label").putObject("value").put("instance", name);
        properties.putObject("trunk_enabled").putObject("value").put("instance", enabled);
        properties.putObject("trunk_max_dial_timeout").putObject("value").put("instance", "1m");
        trunk.putObject("inboundSite").put("id", "site-1").put("name", "Main site")
                .put("selfUri", "/api/v2/telephony/providers/edges/sites/site-1");
        trunk.put("dateCreated", timestamp(now())).put("dateModified", timestamp(now()));
        trunk.put("selfUri", trunkPath(id));
        trunkBases.put(id, trunk);
    }

    public boolean trunkEnabled(String id) {
        ObjectNode trunk = trunkBases.get(id);
        if (trunk == null) {
            throw new IllegalArgumentException("unknown trunk base settings " + id);
        }
        return trunk.path("properties").path("trunk_enabled").path("value").path("instance").asBoolean(false);
    }

    public int trunkVersion(String id) {
        ObjectNode trunk = trunkBases.get(id);
        if (trunk == null) {
            throw new IllegalArgumentException("unknown trunk base settings " + id);
        }
        return trunk.path("version").asInt();
    }

    // ---- request handling ----

    @Override
    protected SimResponse handle(SimRequest request) throws Exception {
        if (request.rawPath().startsWith("/api/v2/")) {
            requireBearer(request);
        }
        return router.dispatch(request);
    }

    @Override
    protected SimResponse errorResponse(int status, String code, String message) {
        ObjectNode body = Json.object().put("message", message).put("code", code).put("status", status)
                .put("contextId", UUID.randomUUID().toString());
        body.putArray("details");
        body.putArray("errors");
        return SimResponse.json(status, body);
    }

    private void requireBearer(SimRequest request) {
        Optional<String> token = request.bearerToken();
        if (token.isEmpty()) {
            throw new SimHttpException(401, "authentication.required",
                    "No authentication bearer token specified in authorization header.");
        }
        if (!tokens.isValid(token.get())) {
            throw new SimHttpException(401, "bad.credentials", "Invalid login credentials.");
        }
    }

    private SimResponse token(SimRequest request) {
        if (!"client_credentials".equals(request.formValue("grant_type"))) {
            return SimResponse.json(400, Json.object().put("error", "unsupported_grant_type")
                    .put("description", "grant_type must be client_credentials")
                    .put("error_description", "grant_type must be client_credentials"));
        }
        Optional<String[]> basic = request.basicCredentials();
        if (basic.isEmpty() || !basic.get()[0].equals(clientId) || !basic.get()[1].equals(clientSecret)) {
            return SimResponse.json(401, Json.object().put("error", "invalid_client")
                    .put("description", "client not found").put("error_description", "client not found"));
        }
        int lifetime = tokenLifetimeSeconds;
        String token = tokens.issue(Duration.ofSeconds(lifetime));
        return SimResponse.json(200, Json.object().put("access_token", token).put("token_type", "bearer")
                .put("expires_in", lifetime));
    }

    private ObjectNode organization() {
        return Json.object().put("id", orgId).put("name", "Simulated Contact Center").put("defaultLanguage", "en-us")
                .put("defaultCountryCode", "US").put("thirdPartyOrgName", "simulated-cc").put("domain", "simulated-cc")
                .put("version", 1).put("state", "active")
                .put("selfUri", "/api/v2/organizations/" + orgId);
    }

    private SimResponse getTrunkBase(String id, SimRequest request) {
        String ignoreHidden = request.param("ignoreHidden");
        if (ignoreHidden != null && !ignoreHidden.equals("true") && !ignoreHidden.equals("false")) {
            throw new SimHttpException(400, "bad.request", "ignoreHidden must be true or false");
        }
        ObjectNode trunk = trunkBases.get(id);
        if (trunk == null) {
            throw new SimHttpException(404, "not.found", "Trunk base settings " + id + " not found");
        }
        SimResponse response = SimResponse.json(200, trunk.deepCopy());
        java.util.concurrent.atomic.AtomicInteger countdown = concurrentEdits.get(id);
        boolean everyRead = countdown != null && countdown.get() == EVERY_READ;
        if (everyRead || (countdown != null && countdown.decrementAndGet() == 0)) {
            if (!everyRead) {
                concurrentEdits.remove(id);
            }
            // someone else saves the object right after this read: the reader's version is now stale
            trunkBases.computeIfPresent(id, (k, current) -> current.put("version", current.path("version").asInt() + 1)
                    .put("dateModified", timestamp(now())));
        }
        return response;
    }

    /**
     * How a PUT with a stale version is answered: 409 (default), 408, or 400 with "does not match the current
     * version", the three answers Genesys' terraform provider treats as a version mismatch (util_retries.go).
     */
    public void setStaleVersionAnswer(int status) {
        if (status != 409 && status != 408 && status != 400) {
            throw new IllegalArgumentException("a stale version is answered 409, 408 or 400, not " + status);
        }
        staleVersionStatus = status;
    }

    /** Someone saves trunk base settings {@code id} after every read of it: every PUT is stale, until {@link #concurrentEditAfterReads}. */
    public void concurrentEditAfterEveryRead(String id) {
        concurrentEdits.put(id, new java.util.concurrent.atomic.AtomicInteger(EVERY_READ));
    }

    /**
     * Simulates an administrator saving trunk base settings {@code id} right after the {@code afterReads}-th next
     * GET of it, so a PUT with the version that GET returned is stale.
     */
    public void concurrentEditAfterReads(String id, int afterReads) {
        concurrentEdits.put(id, new java.util.concurrent.atomic.AtomicInteger(afterReads));
    }

    /** Optimistic concurrency as the terraform provider expects: the body carries the version it read. */
    private SimResponse putTrunkBase(String id, SimRequest request) {
        JsonNode body = Json.parse(request.body());
        if (!body.isObject()) {
            throw new SimHttpException(400, "bad.request", "the body must be a TrunkBase object");
        }
        if (!body.path("version").canConvertToInt() || body.path("version").isTextual()) {
            throw new SimHttpException(400, "bad.request", "version is required");
        }
        int sentVersion = body.path("version").asInt();
        ObjectNode[] stored = new ObjectNode[1];
        ObjectNode result = trunkBases.computeIfPresent(id, (k, current) -> {
            int currentVersion = current.path("version").asInt();
            if (sentVersion != currentVersion) {
                int status = staleVersionStatus;
                throw new SimHttpException(status, status == 409 ? "general.conflict" : status == 408 ? "request.timeout"
                        : "bad.request", "The version supplied (" + sentVersion + ") does not match the current version ("
                        + currentVersion + ")");
            }
            // the server keeps what a PUT does not write (dates, state, authors); the writable fields are replaced
            ObjectNode updated = current.deepCopy();
            TRUNK_WRITABLE.forEach(updated::remove);
            body.fields().forEachRemaining(f -> {
                if (TRUNK_WRITABLE.contains(f.getKey())) {
                    updated.set(f.getKey(), f.getValue().deepCopy());
                }
            });
            updated.put("id", id).put("version", currentVersion + 1).put("dateModified", timestamp(now()))
                    .put("selfUri", trunkPath(id));
            stored[0] = updated;
            return updated;
        });
        if (result == null) {
            throw new SimHttpException(404, "not.found", "Trunk base settings " + id + " not found");
        }
        log.info("trunk base settings {} updated to version {} (trunk_enabled={})", id,
                stored[0].path("version").asInt(), trunkEnabled(id));
        return SimResponse.json(200, stored[0]);
    }

    private static String trunkPath(String id) {
        return "/api/v2/telephony/providers/edges/trunkbasesettings/" + id;
    }

    private SimResponse users(SimRequest request) {
        GenesysPage page = GenesysPage.from(request, DEFAULT_PAGE_SIZE, USERS_MAX_PAGE_SIZE);
        Set<String> expand = expand(request);
        List<String> ids = splitIds(request.params("id"));
        String state = Optional.ofNullable(request.param("state")).orElse("active");
        List<Agent> selected = new ArrayList<>();
        if (state.equals("active") || state.equals("any")) {
            if (ids.isEmpty()) {
                selected.addAll(agents.values());
            } else {
                ids.stream().map(agents::get).filter(a -> a != null).forEach(selected::add);
            }
        }
        if ("descending".equalsIgnoreCase(request.param("sortOrder"))) {
            java.util.Collections.reverse(selected);
        }
        String extra = expand.isEmpty() ? "" : "&expand=" + String.join(",", expand);
        return SimResponse.json(200, page.listing(selected, a -> userJson(a, expand), "/api/v2/users", extra));
    }

    private SimResponse user(String userId, SimRequest request) {
        return SimResponse.json(200, userJson(agent(userId), expand(request)));
    }

    private SimResponse bulkPresence(SimRequest request) {
        List<String> ids = splitIds(request.params("id"));
        if (ids.isEmpty()) {
            throw new SimHttpException(400, "bad.request", "id is required");
        }
        if (ids.size() > BULK_PRESENCE_MAX_IDS) {
            throw new SimHttpException(400, "bad.request", "At most " + BULK_PRESENCE_MAX_IDS
                    + " user ids may be requested at once, got " + ids.size());
        }
        ArrayNode result = Json.array();
        ids.stream().map(agents::get).filter(a -> a != null).forEach(a -> result.add(presenceJson(a)));
        return SimResponse.json(200, result);
    }

    private SimResponse queueList(SimRequest request) {
        GenesysPage page = GenesysPage.from(request, DEFAULT_PAGE_SIZE, USERS_MAX_PAGE_SIZE);
        String name = request.param("name");
        List<Queue> selected = queues.values().stream()
                .filter(q -> name == null || q.name().toLowerCase(Locale.ROOT).contains(name.toLowerCase(Locale.ROOT).replace("*", "")))
                .collect(Collectors.toList());
        return SimResponse.json(200, page.listing(selected, this::queueJson, "/api/v2/routing/queues", ""));
    }

    private SimResponse queuesOfUser(String userId, SimRequest request) {
        agent(userId);
        GenesysPage page = GenesysPage.from(request, DEFAULT_PAGE_SIZE, QUEUE_MEMBERS_MAX_PAGE_SIZE);
        List<Queue> selected = queues.values().stream()
                .filter(q -> queueMembers.get(q.id()).contains(userId)).collect(Collectors.toList());
        return SimResponse.json(200, page.listing(selected, q -> queueJson(q).put("joined", true),
                "/api/v2/users/" + userId + "/queues", ""));
    }

    /** Members sorted by name (the API's documented sort), ascending unless {@code sortOrder=desc}. */
    private SimResponse queueMemberList(String queueId, SimRequest request) {
        queue(queueId);
        GenesysPage page = GenesysPage.from(request, DEFAULT_PAGE_SIZE, QUEUE_MEMBERS_MAX_PAGE_SIZE);
        List<Agent> members = queueMembers.get(queueId).stream().map(agents::get).filter(a -> a != null)
                .sorted(java.util.Comparator.comparing(Agent::name).thenComparing(Agent::id))
                .collect(Collectors.toList());
        if ("desc".equalsIgnoreCase(request.param("sortOrder"))) {
            java.util.Collections.reverse(members);
        }
        // Genesys no longer answers total, pageCount or lastUri here (nor has the SDK's QueueMemberEntityListing them)
        return SimResponse.json(200, page.listingWithoutCounts(members, a -> queueMemberJson(a, queueId),
                "/api/v2/routing/queues/" + queueId + "/members", ""));
    }

    /**
     * {@code PATCH /api/v2/users/{id}/presences/purecloud} with {@code {"presenceDefinition":{"id":...}}}: the id must be
     * one of the org's presence definitions (a system presence here).
     */
    private SimResponse patchPresence(String userId, SimRequest request) {
        agent(userId);
        String definitionId = Json.parse(request.body()).path("presenceDefinition").path("id").asText("");
        String systemPresence = SYSTEM_PRESENCES.stream().filter(sp -> systemPresenceDefinitionId(sp).equals(definitionId))
                .findFirst().orElseGet(() -> USER_PRESENCES.entrySet().stream()
                        .filter(e -> userPresenceDefinitionId(e.getKey()).equals(definitionId)).map(Map.Entry::getValue)
                        .findFirst().orElseThrow(() -> new SimHttpException(400, "bad.request", "presenceDefinition.id "
                                + definitionId + " is not a presence definition of this organization")));
        setPresence(userId, systemPresence, definitionId);
        return SimResponse.json(200, userPresenceJson(agent(userId)));
    }

    private SimResponse presenceDefinitions() {
        ArrayNode entities = Json.array();
        USER_PRESENCES.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                entities.add(definitionJson(userPresenceDefinitionId(e.getKey()), "User", e.getValue(), e.getKey())));
        for (String sp : SYSTEM_PRESENCES) {
            entities.add(definitionJson(systemPresenceDefinitionId(sp), "System", sp, sp));
        }
        ObjectNode body = Json.object().put("total", entities.size());
        body.set("entities", entities);
        return SimResponse.json(200, body);
    }

    private static ObjectNode definitionJson(String id, String type, String systemPresence, String label) {
        ObjectNode d = Json.object().put("id", id).put("type", type)
                .put("systemPresence", systemPresence.replace(" ", "")).put("deactivated", false)
                .put("selfUri", "/api/v2/presence/definitions/" + id);
        d.putObject("languageLabels").put("en_US", label);
        return d;
    }

    /** Adds ({@code delete=false}, the default) or removes members: a JSON array of {@code {"id": userId}}, at most 100. */
    private SimResponse changeQueueMembers(String queueId, SimRequest request) {
        queue(queueId);
        JsonNode body = Json.parse(request.body());
        if (!body.isArray() || body.isEmpty()) {
            throw new SimHttpException(400, "bad.request", "the body must be a non-empty array of members");
        }
        if (body.size() > QUEUE_MEMBERS_MAX_CHANGE) {
            throw new SimHttpException(400, "bad.request", "At most " + QUEUE_MEMBERS_MAX_CHANGE
                    + " members may be changed at once, got " + body.size());
        }
        boolean delete = Boolean.parseBoolean(request.param("delete"));
        for (JsonNode member : body) {
            String userId = member.path("id").asText("");
            agent(userId);
            if (delete) {
                queueMembers.get(queueId).remove(userId);
            } else {
                queueMembers.get(queueId).add(userId);
            }
        }
        return SimResponse.empty(204);
    }

    /** The user ids that are members of a queue (no API call recorded). */
    public Set<String> queueMemberIds(String queueId) {
        return Set.copyOf(queueMembers.getOrDefault(queueId, new ConcurrentSkipListSet<>()));
    }

    // ---- rendering ----

    private Agent agent(String userId) {
        Agent agent = agents.get(userId);
        if (agent == null) {
            throw new SimHttpException(404, "not.found", "User " + userId + " not found");
        }
        return agent;
    }

    private Queue queue(String queueId) {
        Queue queue = queues.get(queueId);
        if (queue == null) {
            throw new SimHttpException(404, "not.found", "Queue " + queueId + " not found");
        }
        return queue;
    }

    private static Set<String> expand(SimRequest request) {
        return new LinkedHashSet<>(splitIds(request.params("expand")));
    }

    /** Accepts both the SDK's "multi" form ({@code id=a&id=b}) and the documented comma-separated form. */
    private static List<String> splitIds(List<String> values) {
        return values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::trim)
                .filter(s -> !s.isEmpty()).distinct().collect(Collectors.toList());
    }

    private ObjectNode userJson(Agent agent, Set<String> expand) {
        ObjectNode user = userSummary(agent);
        user.put("username", agent.email()).put("version", 1);
        if (expand.contains("presence") && !expandOmitsPresence.contains(agent.id())) {
            user.set("presence", userPresenceJson(agent));
        }
        if (expand.contains("routingStatus")) {
            user.set("routingStatus", routingStatusJson(agent));
        }
        return user;
    }

    private static ObjectNode userSummary(Agent agent) {
        return Json.object().put("id", agent.id()).put("name", agent.name()).put("email", agent.email())
                .put("state", "active").put("selfUri", "/api/v2/users/" + agent.id());
    }

    /** {@code UcUserPresence}: the bulk and per-user presence reads. */
    private ObjectNode presenceJson(Agent agent) {
        ObjectNode presence = Json.object().put("id", agent.id()).put("userId", agent.id()).put("source", "PURECLOUD");
        return presenceBody(presence, agent);
    }

    /** {@code UserPresence}: a user's expanded presence and the PATCH answer (no userId). */
    private ObjectNode userPresenceJson(Agent agent) {
        ObjectNode presence = Json.object().put("id", agent.id()).put("source", "PURECLOUD").put("primary", true);
        return presenceBody(presence, agent);
    }

    private ObjectNode presenceBody(ObjectNode presence, Agent agent) {
        presence.putObject("presenceDefinition").put("id", agent.presenceDefinitionId())
                .put("systemPresence", agent.systemPresence())
                .put("selfUri", "/api/v2/presencedefinitions/" + agent.presenceDefinitionId());
        presence.put("message", "").put("modifiedDate", timestamp(agent.presenceModified()))
                .put("selfUri", "/api/v2/users/" + agent.id() + "/presences/purecloud");
        return presence;
    }

    /** The id of the System definition of a system presence, whatever its spelling (real ids are per-org UUIDs). */
    public static String systemPresenceDefinitionId(String systemPresence) {
        String normalised = systemPresence.replaceAll("[ _]", "").toLowerCase(Locale.ROOT);
        return UUID.nameUUIDFromBytes(("presence:" + normalised).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The id of one of {@link #USER_PRESENCES}. */
    public static String userPresenceDefinitionId(String name) {
        return UUID.nameUUIDFromBytes(("user-presence:" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** A timestamp as Genesys writes it: UTC, milliseconds. */
    public static String timestamp(Instant instant) {
        return MILLIS.format(instant);
    }

    private static ObjectNode routingStatusJson(Agent agent) {
        return Json.object().put("userId", agent.id()).put("status", agent.routingStatus())
                .put("startTime", timestamp(agent.routingStatusStart()));
    }

    private ObjectNode queueJson(Queue queue) {
        return Json.object().put("id", queue.id()).put("name", queue.name())
                .put("memberCount", queueMembers.get(queue.id()).size())
                .put("selfUri", "/api/v2/routing/queues/" + queue.id());
    }

    private static ObjectNode queueMemberJson(Agent agent, String queueId) {
        ObjectNode member = Json.object().put("id", agent.id()).put("name", agent.name());
        member.set("user", userSummary(agent));
        member.put("ringNumber", 1).put("joined", true).put("memberBy", "user");
        member.set("routingStatus", routingStatusJson(agent));
        member.put("selfUri", "/api/v2/routing/queues/" + queueId + "/members/" + agent.id());
        return member;
    }
}
