package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

/**
 * NICE CXone simulator (docs/vendor-apis.md §5): discovery, the password-grant token with access keys, and the
 * Admin / Real-Time Data calls the failover runbook uses (agents, agent state, unavailable codes, agent
 * skills, skill activity) under {@code /incontactapi/services/v31.0}.
 * <p>Size: one class per simulated vendor, so that every NICE endpoint we call and every refusal NICE makes is in
 * one file to check against docs/vendor-apis.md §5.
 */
public class NiceSimulator extends SimulatedHttpServer {

    public static final String API_VERSION = "v31.0";
    /** NICE's SDKs mix {@code InContactAPI} and {@code incontactapi}; the simulator matches it case-insensitively. */
    public static final String API_BASE_PATH = "/incontactapi/services/" + API_VERSION;
    private static final int DEFAULT_TOP = 100; // NICE's own default page size is unconfirmed
    /** Skill listings answer small pages unless asked (NICE's default is unconfirmed), so clients must page. */
    static final int SKILLS_DEFAULT_TOP = 10;
    private static final Map<String, Integer> STATE_IDS = Map.of("LoggedOut", 0, "Available", 1, "Unavailable", 2,
            "InboundContact", 3, "OutboundContact", 4, "InboundConsult", 5, "OutboundConsult", 6, "Dialer", 7, "LoggedIn", 8);

    public record Agent(int agentId, String userName, String firstName, String lastName, String email, String teamId,
                        boolean active) {
    }

    /**
     * @param outStateId       the unavailable code id, 0 when none
     * @param sessionId        the agent session, null when LoggedOut (NICE keeps state only inside a session)
     * @param sessionStartTime when that session started, null when LoggedOut
     */
    public record AgentState(String stateName, int outStateId, String outStateDescription, Instant startDate,
                             String sessionId, Instant sessionStartTime) {
        public boolean loggedIn() {
            return sessionId != null;
        }
    }

    public record UnavailableCode(int id, String name, boolean active, boolean acw, String notes, int agentTimeout) {
    }

    /** The states NICE puts an agent in while on a contact; an ACW code is only accepted then. */
    private static final java.util.Set<String> CONTACT_STATES =
            java.util.Set.of("InboundContact", "OutboundContact", "InboundConsult", "OutboundConsult", "Dialer");

    public record Skill(String skillId, String name) {
    }

    public record SkillAssignment(String skillId, int proficiency, boolean active) {
    }

    public record SkillActivity(int agentsLoggedIn, int agentsWorking, int agentsACW, int agentsAvailable, int queueCount) {
    }

    private static final Comparator<String> NUMERIC_FIRST = (a, b) -> {
        boolean an = a.matches("\\d{1,18}");
        boolean bn = b.matches("\\d{1,18}");
        if (an && bn) {
            return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        return an != bn ? (an ? -1 : 1) : a.compareTo(b);
    };

    private final TokenIssuer tokens = new TokenIssuer(clock);
    private final ConcurrentSkipListMap<Integer, Agent> agents = new ConcurrentSkipListMap<>();
    private final Map<Integer, AgentState> states = new ConcurrentHashMap<>();
    private final Map<String, String> teamNames = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Integer, UnavailableCode> unavailableCodes = new ConcurrentSkipListMap<>();
    /** teamId -> the unavailable code ids assigned to it; only those are usable by the team's agents. */
    private final Map<String, java.util.Set<Integer>> teamCodes = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong sessionIds = new java.util.concurrent.atomic.AtomicLong(7_000_000);
    private final ConcurrentSkipListMap<String, Skill> skills = new ConcurrentSkipListMap<>(NUMERIC_FIRST);
    private final Map<Integer, ConcurrentSkipListMap<String, SkillAssignment>> agentSkills = new ConcurrentHashMap<>();
    private final Map<String, SkillActivity> skillActivity = new ConcurrentHashMap<>();
    private final Router router = new Router(true);
    private final java.util.concurrent.atomic.AtomicInteger lostSkillAnswers = new java.util.concurrent.atomic.AtomicInteger();

    private volatile String clientId = "sim-nice-app";
    private volatile String clientSecret = "sim-nice-app-secret";
    private volatile String accessKeyId = "sim-access-key-id";
    private volatile String accessKeySecret = "sim-access-key-secret";
    private volatile int tokenLifetimeSeconds = 3600;
    private volatile String tenantId = "11eb0000-0000-0000-0000-00000000sim1";
    private volatile int businessUnitId = 4_600_001;

    public NiceSimulator(int port) {
        super("nice", port);
        String base = API_BASE_PATH;
        router.add("POST", "/auth/token", (req, p) -> token(req))
                .add("GET", "/.well-known/cxone-configuration", (req, p) -> discovery(req))
                .add("GET", "/.well-known/openid-configuration", (req, p) -> openIdConfiguration())
                .add("GET", base + "/agents", (req, p) -> agentList(req))
                .add("GET", base + "/agents/states", (req, p) -> allAgentStates(req))
                .add("GET", base + "/agents/{agentId}", (req, p) -> SimResponse.json(200,
                        Json.object().set("agents", Json.array().add(agentJson(agent(p.get("agentId")))))))
                .add("GET", base + "/agents/{agentId}/states", (req, p) -> agentStates(p.get("agentId")))
                .add("POST", base + "/agents/{agentId}/state", (req, p) -> setState(p.get("agentId"), req))
                .add("GET", base + "/agents/{agentId}/skills", (req, p) -> getAgentSkills(p.get("agentId"), req))
                .add("POST", base + "/agents/skills", (req, p) -> bulkAgentSkills(req))
                .add("POST", base + "/agents/{agentId}/skills", (req, p) -> changeAgentSkills(p.get("agentId"), req, SkillChange.ASSIGN))
                .add("PUT", base + "/agents/{agentId}/skills", (req, p) -> changeAgentSkills(p.get("agentId"), req, SkillChange.MODIFY))
                .add("DELETE", base + "/agents/{agentId}/skills", (req, p) -> changeAgentSkills(p.get("agentId"), req, SkillChange.REMOVE))
                .add("GET", base + "/unavailable-codes", (req, p) -> unavailableCodeList())
                .add("GET", base + "/unavailable-codes/{id}", (req, p) -> unavailableCode(p.get("id")))
                .add("GET", base + "/teams/{teamId}/unavailable-codes", (req, p) -> teamUnavailableCodes(p.get("teamId"), req))
                .add("POST", base + "/agent-sessions", (req, p) -> startSession(req))
                .add("POST", base + "/agent-sessions/join", (req, p) -> joinSession(req))
                .add("POST", base + "/agent-sessions/{sessionId}/state", (req, p) -> setSessionState(p.get("sessionId"), req))
                .add("DELETE", base + "/agent-sessions/{sessionId}", (req, p) -> endSession(p.get("sessionId")))
                .add("GET", base + "/skills", (req, p) -> skillList())
                .add("GET", base + "/skills/activity", (req, p) -> allSkillActivity(req))
                .add("GET", base + "/skills/{skillId}/activity", (req, p) -> oneSkillActivity(p.get("skillId")));
        for (String name : List.of("Break", "Meal", "Training", "Meeting", "Away", "SystemMaintenance")) {
            addUnavailableCode(unavailableCodes.size() + 1, name);
        }
    }

    @Override
    public NiceSimulator start() {
        super.start();
        return this;
    }

    // ---- configuration and seeding ----

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String accessKeySecret() {
        return accessKeySecret;
    }

    public void setTokenLifetimeSeconds(int seconds) {
        this.tokenLifetimeSeconds = seconds;
    }

    public void revokeTokens() {
        tokens.revokeAll();
    }

    public String tenantId() {
        return tenantId;
    }

    public int businessUnitId() {
        return businessUnitId;
    }

    public String tokenUrl() {
        return baseUrl() + "/auth/token";
    }

    /** The base of every Admin / Real-Time API call, e.g. {@code http://127.0.0.1:1234/incontactapi/services/v31.0}. */
    public String apiBaseUrl() {
        return baseUrl() + API_BASE_PATH;
    }

    /** An active agent, LoggedOut, with first/last name taken from the e-mail's local part. */
    public void addAgent(int agentId, String userName, String email, String teamId) {
        String local = email.contains("@") ? email.substring(0, email.indexOf('@')) : email;
        String[] parts = local.split("[._-]", 2);
        addAgent(new Agent(agentId, userName, capitalise(parts[0]), parts.length > 1 ? capitalise(parts[1]) : "",
                email, teamId, true));
    }

    public void addAgent(Agent agent) {
        agents.put(agent.agentId(), agent);
        states.putIfAbsent(agent.agentId(), loggedOut());
        teamCodes.computeIfAbsent(agent.teamId(), t -> java.util.concurrent.ConcurrentHashMap.newKeySet()).addAll(unavailableCodes.keySet());
        agentSkills.computeIfAbsent(agent.agentId(), k -> new ConcurrentSkipListMap<>(NUMERIC_FIRST));
    }

    /** A team; every unavailable code seeded so far is assigned to it (a tenant set up for the failover). */
    public void addTeam(String teamId, String name) {
        teamNames.put(teamId, name);
        teamCodes.computeIfAbsent(teamId, t -> ConcurrentHashMap.newKeySet()).addAll(unavailableCodes.keySet());
    }

    /** An active, non-ACW unavailable code, assigned to every team seeded so far. */
    public void addUnavailableCode(int id, String name) {
        addUnavailableCode(id, name, false);
    }

    public void addUnavailableCode(int id, String name, boolean acw) {
        unavailableCodes.put(id, new UnavailableCode(id, name, true, acw, "", acw ? 2 : 0));
        teamCodes.values().forEach(codes -> codes.add(id));
    }

    /** Takes a code off a team: the team's agents can no longer be set to it (NICE refuses such a state change). */
    public void unassignUnavailableCode(String teamId, int codeId) {
        teamCodes.getOrDefault(teamId, java.util.Set.of()).remove(codeId);
    }

    /** The unavailable code of that name, for tests that seed states by name. */
    public int unavailableCodeId(String name) {
        return unavailableCodes.values().stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no unavailable code " + name)).id();
    }

    public void addSkill(String skillId, String name) {
        skills.put(skillId, new Skill(skillId, name));
        skillActivity.putIfAbsent(skillId, new SkillActivity(0, 0, 0, 0, 0));
    }

    /** The next {@code count} per-agent skill writes are applied, then answered 504 (a gateway that lost the answer). */
    public void loseSkillWriteAnswers(int count) {
        lostSkillAnswers.set(count);
    }

    /** Seeds an assignment directly (no API call recorded). */
    public void assignSkill(int agentId, String skillId, int proficiency) {
        requireSeeded(agentId);
        agentSkills.get(agentId).put(skillId, new SkillAssignment(skillId, proficiency, true));
    }

    public void setSkillActivity(String skillId, int loggedIn, int working, int acw, int available, int queueCount) {
        if (!skills.containsKey(skillId)) {
            throw new IllegalArgumentException("unknown skill " + skillId);
        }
        skillActivity.put(skillId, new SkillActivity(loggedIn, working, acw, available, queueCount));
    }

    /**
     * Seeds an agent's state (e.g. "Available"; "Unavailable" with an unavailable code id) without an API call. Any
     * state but LoggedOut means a logged-in agent, so a session is started for it when it has none.
     */
    public void setAgentState(int agentId, String stateName, int outStateId) {
        requireSeeded(agentId);
        if ("LoggedOut".equals(stateName)) {
            states.put(agentId, loggedOut());
            return;
        }
        UnavailableCode code = unavailableCodes.get(outStateId);
        states.compute(agentId, (id, s) -> {
            Instant now = now();
            boolean in = s != null && s.loggedIn();
            return new AgentState(stateName, code == null ? 0 : outStateId, code == null ? "" : code.name(), now,
                    in ? s.sessionId() : newSessionId(), in ? s.sessionStartTime() : now);
        });
    }

    /**
     * The agent logs in (what CXone Agent does at SSO login; {@code POST /agent-sessions} over HTTP): a session starts
     * and the agent is in NICE's default state at session start, Unavailable with no code.
     *
     * @return the session id
     */
    public String login(int agentId) {
        requireSeeded(agentId);
        return startSessionFor(agentId);
    }

    /** The agent changes their own state inside their session ({@code POST /agent-sessions/{id}/state}). */
    public void agentSetsOwnState(int agentId, String state, String reason) {
        requireSeeded(agentId);
        AgentState s = states.get(agentId);
        if (!s.loggedIn()) {
            throw new IllegalStateException("agent " + agentId + " is not logged in");
        }
        changeState(agents.get(agentId), state, null, reason);
    }

    /** The agent logs out: the session ends and the state is LoggedOut. */
    public void logout(int agentId) {
        requireSeeded(agentId);
        states.put(agentId, loggedOut());
    }

    public AgentState agentState(int agentId) {
        requireSeeded(agentId);
        return states.get(agentId);
    }

    public List<SkillAssignment> agentSkills(int agentId) {
        requireSeeded(agentId);
        return List.copyOf(agentSkills.get(agentId).values());
    }

    private void requireSeeded(int agentId) {
        if (!agents.containsKey(agentId)) {
            throw new IllegalArgumentException("unknown agent " + agentId);
        }
    }

    // ---- request handling ----

    @Override
    protected SimResponse handle(SimRequest request) throws Exception {
        if (request.rawPath().regionMatches(true, 0, "/incontactapi/", 0, 14)) {
            Optional<String> token = request.bearerToken();
            if (token.isEmpty() || !tokens.isValid(token.get())) {
                throw new SimHttpException(401, "invalid_token", token.isEmpty()
                        ? "Authorization header with a bearer token is required" : "The access token is invalid or has expired");
            }
        }
        return router.dispatch(request);
    }

    @Override
    protected SimResponse errorResponse(int status, String code, String message) {
        return SimResponse.json(status, Json.object().put("error", code).put("error_description", message));
    }

    private SimResponse token(SimRequest request) {
        String grant = request.formValue("grant_type");
        String[] client = request.basicCredentials()
                .orElse(new String[] {request.formValue("client_id"), request.formValue("client_secret")});
        if (!clientId.equals(client[0]) || !clientSecret.equals(client[1])) {
            return oauthError(401, "invalid_client", "Client authentication failed");
        }
        if ("password".equals(grant)) {
            if (!accessKeyId.equals(request.formValue("username")) || !accessKeySecret.equals(request.formValue("password"))) {
                return oauthError(401, "invalid_grant", "Invalid access key");
            }
        } else if ("refresh_token".equals(grant)) {
            if (!tokens.isValid(request.formValue("refresh_token"))) {
                return oauthError(401, "invalid_grant", "Invalid or expired refresh token");
            }
        } else {
            return oauthError(400, "unsupported_grant_type", "grant_type " + grant + " is not supported");
        }
        int lifetime = tokenLifetimeSeconds;
        ObjectNode body = Json.object().put("access_token", tokens.issue(Duration.ofSeconds(lifetime)))
                .put("token_type", "bearer").put("issued_token_type", "urn:ietf:params:oauth:token-type:access_token")
                .put("expires_in", lifetime)
                .put("refresh_token", tokens.issue(Duration.ofSeconds(lifetime * 24L)))
                .put("id_token", idToken(lifetime));
        return SimResponse.json(200, body);
    }

    private static SimResponse oauthError(int status, String error, String description) {
        return SimResponse.json(status, Json.object().put("error", error).put("error_description", description));
    }

    /** An unsigned JWT: clients only read its {@code tenantId} claim to drive discovery. */
    private String idToken(int lifetime) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long now = now().getEpochSecond();
        ObjectNode claims = Json.object().put("iss", baseUrl()).put("sub", "user:" + accessKeyId).put("aud", clientId)
                .put("iat", now).put("exp", now + lifetime).put("tenantId", tenantId)
                .put("bus_no", businessUnitId);
        return header + "." + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private SimResponse discovery(SimRequest request) {
        String requested = request.param("tenantId");
        if (requested != null && !requested.equals(tenantId)) {
            throw new SimHttpException(404, "tenant_not_found", "Unknown tenant " + requested);
        }
        return SimResponse.json(200, Json.object().put("private", false).put("ui_endpoint", baseUrl())
                .put("auth_endpoint", baseUrl()).put("api_endpoint", baseUrl()).put("area", "sim1")
                .put("cluster", "SIM1").put("domain", "127.0.0.1").put("acdDomain", "127.0.0.1")
                .put("uhDomain", "127.0.0.1").put("tenantId", tenantId).put("globaldomain", "127.0.0.1"));
    }

    private SimResponse openIdConfiguration() {
        return SimResponse.json(200, Json.object().put("issuer", baseUrl()).put("token_endpoint", tokenUrl())
                .put("authorization_endpoint", baseUrl() + "/auth/authorize"));
    }

    // ---- agents ----

    private SimResponse agentList(SimRequest request) {
        Boolean activeFilter = request.param("isActive") == null ? null : Boolean.parseBoolean(request.param("isActive"));
        String search = request.param("searchString");
        List<Agent> selected = agents.values().stream()
                .filter(a -> activeFilter == null || a.active() == activeFilter)
                .filter(a -> search == null || (a.userName() + " " + a.email() + " " + a.firstName() + " " + a.lastName())
                        .toLowerCase(Locale.ROOT).contains(search.toLowerCase(Locale.ROOT)))
                .collect(Collectors.toList());
        ObjectNode body = Json.object().put("businessUnitId", businessUnitId);
        ArrayNode page = pageInto(body, request, selected, this::agentJson, "/agents", "agents");
        body.put("hiddenAgents", 0);
        body.set("agents", page);
        return SimResponse.json(200, body);
    }

    /** Real-time agent states; {@code updatedSince} keeps the agents whose state changed at or after that instant. */
    private SimResponse allAgentStates(SimRequest request) {
        ObjectNode body = Json.object();
        Instant since = null;
        if (request.param("updatedSince") != null) {
            try {
                since = Instant.parse(request.param("updatedSince"));
            } catch (java.time.format.DateTimeParseException e) {
                throw new SimHttpException(400, "InvalidRequest", "updatedSince must be an ISO-8601 instant");
            }
        }
        Instant from = since;
        List<Agent> all = agents.values().stream()
                .filter(a -> from == null || !states.get(a.agentId()).startDate().isBefore(from)).toList();
        body.set("agentStates", pageInto(body, request, all, a -> agentStateJson(a, states.get(a.agentId())), "/agents/states", "agentStates"));
        return SimResponse.json(200, body);
    }

    /** skip/top paging with {@code totalRecords}, {@code _links} and {@code lastPollTime} written into {@code body}. */
    private <T> ArrayNode pageInto(ObjectNode body, SimRequest request, List<T> all,
                                   java.util.function.Function<T, JsonNode> render, String path, String field) {
        return pageInto(body, request, all, render, path, field, DEFAULT_TOP);
    }

    private <T> ArrayNode pageInto(ObjectNode body, SimRequest request, List<T> all,
                                   java.util.function.Function<T, JsonNode> render, String path, String field, int defaultTop) {
        int skip = request.intParam("skip", 0, "InvalidRequest");
        int top = request.intParam("top", defaultTop, "InvalidRequest");
        if (skip < 0 || top < 1) {
            throw new SimHttpException(400, "InvalidRequest", "skip must be >= 0 and top >= 1");
        }
        int from = Math.min(skip, all.size());
        int to = (int) Math.min((long) from + top, all.size());
        ArrayNode items = Json.array();
        all.subList(from, to).forEach(item -> items.add(render.apply(item)));
        String link = apiBaseUrl() + path + "?top=" + top + "&skip=";
        body.put("totalRecords", all.size());
        ObjectNode links = body.putObject("_links").put("self", link + skip);
        if (to < all.size()) {
            links.put("next", link + to);
        } else {
            links.putNull("next");
        }
        if (skip > 0) {
            links.put("previous", link + Math.max(0, skip - top));
        } else {
            links.putNull("previous");
        }
        body.put("lastPollTime", now().toString());
        return items;
    }

    private SimResponse agentStates(String agentIdText) {
        Agent agent = agent(agentIdText);
        ObjectNode body = Json.object();
        body.putArray("agentStates").add(agentStateJson(agent, states.get(agent.agentId())));
        body.put("lastPollTime", now().toString());
        return SimResponse.json(200, body);
    }

    /**
     * Supervisor state change: {@code ?state=Available|Unavailable&outStateId=<code id>}, or a JSON body
     * {@code {"state","outStateId"}} (NICE's own API QA tests) or {@code {"state","reason"}} (the agent SDK's, with the
     * code's name). Answered 200, as NICE's QA tests expect.
     */
    private SimResponse setState(String agentIdText, SimRequest request) {
        Agent agent = agent(agentIdText);
        String[] wanted = requestedState(request);
        AgentState now = changeState(agent, wanted[0], wanted[1], wanted[2]);
        log.info("agent {} set to {} {}", agent.agentId(), now.stateName(), now.outStateDescription());
        return SimResponse.json(200, Json.object().put("agentId", agent.agentId()).put("state", now.stateName())
                .put("outStateId", now.outStateId()));
    }

    /** state, outStateId, reason from the query or the JSON body. */
    private static String[] requestedState(SimRequest request) {
        String state = request.param("state");
        String outStateId = request.param("outStateId");
        String reason = request.param("reason");
        if (state == null && !request.body().isBlank()) {
            JsonNode body = Json.parse(request.body());
            state = body.path("state").asText(null);
            reason = body.path("reason").asText(null);
            if (body.hasNonNull("outStateId") && !body.path("outStateId").asText().isEmpty()) {
                outStateId = body.path("outStateId").asText();
            }
        }
        return new String[] {state, outStateId, reason};
    }

    /**
     * The rules NICE applies to every state change, supervisor's or the agent's own:
     * <ul>
     * <li>only inside an agent session: a LoggedOut agent is refused with 409. NICE documents 409 for the one state
     *     refusal it names (an ACW code without an active contact: a request that is well-formed but conflicts with the
     *     agent's situation), and a LoggedOut agent is the same kind of conflict; its QA tests start a session first.
     *     The exact status for this case is unconfirmed (README checklist).</li>
     * <li>only Available or Unavailable (400 otherwise); Unavailable needs an active code assigned to the agent's
     *     team (400: an invalid parameter for this agent), an ACW code only while on a contact (409, NICE's docs).</li>
     * </ul>
     */
    private AgentState changeState(Agent agent, String state, String outStateId, String reason) {
        AgentState current = states.get(agent.agentId());
        if ("Available".equalsIgnoreCase(state)) {
            requireSession(agent, current);
            return record(agent, current, "Available", null);
        }
        if (!"Unavailable".equalsIgnoreCase(state)) {
            throw new SimHttpException(400, "InvalidState", "state must be Available or Unavailable, was " + state);
        }
        UnavailableCode code = findUnavailableCode(outStateId, reason);
        requireSession(agent, current);
        if (code != null && !teamCodes.getOrDefault(agent.teamId(), java.util.Set.of()).contains(code.id())) {
            throw new SimHttpException(400, "InvalidOutState", "Unavailable code " + code.id() + " (" + code.name()
                    + ") is not assigned to team " + agent.teamId() + " of agent " + agent.agentId());
        }
        if (code != null && code.acw() && !CONTACT_STATES.contains(current.stateName())) {
            throw new SimHttpException(409, "Conflict", "Unavailable code " + code.name()
                    + " is an ACW code and agent " + agent.agentId() + " has no active contact");
        }
        return record(agent, current, "Unavailable", code);
    }

    private static void requireSession(Agent agent, AgentState current) {
        if (!current.loggedIn()) {
            throw new SimHttpException(409, "AgentNotLoggedIn", "Agent " + agent.agentId()
                    + " has no active session: state can only be changed for a logged-in agent");
        }
    }

    private AgentState record(Agent agent, AgentState current, String state, UnavailableCode code) {
        AgentState next = new AgentState(state, code == null ? 0 : code.id(), code == null ? "" : code.name(), now(),
                current.sessionId(), current.sessionStartTime());
        states.put(agent.agentId(), next);
        return next;
    }

    /** The code named by id or by name; null for plain Unavailable (NICE's default, no reason). */
    private UnavailableCode findUnavailableCode(String outStateId, String reason) {
        if ((outStateId == null || outStateId.equals("0")) && (reason == null || reason.isBlank())) {
            return null;
        }
        Optional<UnavailableCode> code = Optional.empty();
        if (outStateId != null && outStateId.matches("\\d{1,9}")) {
            code = Optional.ofNullable(unavailableCodes.get(Integer.parseInt(outStateId)));
        } else if (reason != null) {
            code = unavailableCodes.values().stream().filter(c -> c.name().equalsIgnoreCase(reason)).findFirst();
        }
        return code.filter(UnavailableCode::active).orElseThrow(() -> new SimHttpException(400, "InvalidOutState",
                "Unavailable requires a valid active unavailable code (outStateId or reason), got "
                        + (outStateId != null ? "outStateId=" + outStateId : "reason=" + reason)));
    }

    // ---- agent sessions ----

    private AgentState loggedOut() {
        return new AgentState("LoggedOut", 0, "", now(), null, null);
    }

    private String newSessionId() {
        return String.valueOf(sessionIds.incrementAndGet());
    }

    private synchronized String startSessionFor(int agentId) {
        AgentState s = states.get(agentId);
        if (s.loggedIn()) {
            throw new SimHttpException(409, "SessionExists", "Agent " + agentId + " already has session " + s.sessionId()
                    + "; join it instead");
        }
        Instant now = now();
        String id = newSessionId();
        // NICE: "the default Unavailable state with no reason code ... is the state when an agent session is started"
        states.put(agentId, new AgentState("Unavailable", 0, "", now, id, now));
        log.info("agent {} logged in (session {})", agentId, id);
        return id;
    }

    /** {@code POST /agent-sessions?asAgentId=&stationPhoneNumber=|stationId=}: the simulator's token is the integration's, so asAgentId says who. */
    private SimResponse startSession(SimRequest request) {
        if (request.param("stationId") == null && request.param("stationPhoneNumber") == null) {
            throw new SimHttpException(400, "InvalidRequest", "stationId or stationPhoneNumber is required");
        }
        Agent agent = agent(Objects.requireNonNullElse(request.param("asAgentId"), ""));
        return SimResponse.json(202, Json.object().put("sessionId", startSessionFor(agent.agentId())));
    }

    private SimResponse joinSession(SimRequest request) {
        Agent agent = agent(Objects.requireNonNullElse(request.param("asAgentId"), ""));
        AgentState s = states.get(agent.agentId());
        if (!s.loggedIn()) {
            throw new SimHttpException(409, "AgentNotLoggedIn", "Agent " + agent.agentId() + " has no session to join");
        }
        return SimResponse.json(202, Json.object().put("sessionId", s.sessionId()));
    }

    private Agent agentOfSession(String sessionId) {
        return states.entrySet().stream().filter(e -> sessionId.equals(e.getValue().sessionId())).findFirst()
                .map(e -> agents.get(e.getKey()))
                .orElseThrow(() -> new SimHttpException(404, "NotFound", "Session " + sessionId + " not found"));
    }

    /** The agent's own state change, the agent SDK's {@code {"state","reason"}} (or the same as query parameters). */
    private SimResponse setSessionState(String sessionId, SimRequest request) {
        Agent agent = agentOfSession(sessionId);
        String[] wanted = requestedState(request);
        changeState(agent, wanted[0], wanted[1], wanted[2]);
        return SimResponse.json(202, Json.object());
    }

    private SimResponse endSession(String sessionId) {
        Agent agent = agentOfSession(sessionId);
        states.put(agent.agentId(), loggedOut());
        return SimResponse.json(202, Json.object());
    }

    // ---- unavailable codes ----

    /** The business unit's list: items {@code outStateId, outStateName, isActive, isAcw} (docs/vendor-apis.md §5). */
    private SimResponse unavailableCodeList() {
        ArrayNode codes = Json.array();
        unavailableCodes.values().forEach(c -> codes.add(Json.object().put("outStateId", c.id()).put("outStateName", c.name())
                .put("isActive", c.active()).put("isAcw", c.acw()).put("agentTimeout", c.agentTimeout()).put("notes", c.notes())));
        ObjectNode body = Json.object().put("businessUnitId", businessUnitId).put("totalRecords", codes.size());
        body.set("unavailableCodes", codes);
        return SimResponse.json(200, body);
    }

    /** One team's assigned codes: {@code {teamId, teamName, unavailableCodes[]{outstateId, outstateName, isActive, isAcw}}} (lower-case s). */
    private SimResponse teamUnavailableCodes(String teamId, SimRequest request) {
        if (!teamCodes.containsKey(teamId) && !teamNames.containsKey(teamId)) {
            throw new SimHttpException(404, "NotFound", "Team " + teamId + " not found");
        }
        boolean activeOnly = Boolean.parseBoolean(request.param("activeOnly"));
        ArrayNode codes = Json.array();
        for (int id : new java.util.TreeSet<>(teamCodes.getOrDefault(teamId, java.util.Set.of()))) {
            UnavailableCode c = unavailableCodes.get(id);
            if (c != null && (!activeOnly || c.active())) {
                codes.add(Json.object().put("outstateId", c.id()).put("outstateName", c.name()).put("isActive", c.active())
                        .put("isAcw", c.acw()).put("agentTimeoutMins", String.valueOf(c.agentTimeout())));
            }
        }
        ObjectNode body = Json.object();
        body.set("teamId", idNode(teamId));
        body.put("teamName", teamNames.getOrDefault(teamId, "Team " + teamId));
        body.set("unavailableCodes", codes);
        return SimResponse.json(200, body);
    }

    private SimResponse unavailableCode(String idText) {
        UnavailableCode code = idText.matches("\\d{1,9}") ? unavailableCodes.get(Integer.parseInt(idText)) : null;
        if (code == null) {
            throw new SimHttpException(404, "NotFound", "Unavailable code " + idText + " not found");
        }
        return SimResponse.json(200, Json.object().set("unavailableCode", unavailableCodeJson(code)));
    }

    // ---- skills ----

    private enum SkillChange { ASSIGN, MODIFY, REMOVE }

    /** The fields of a skill in {@code POST}/{@code PUT}/{@code DELETE /agents/{id}/skills} and the bulk call (§5). */
    private static final java.util.Set<String> SKILL_FIELDS = java.util.Set.of("skillId", "proficiency", "isActive");

    private SimResponse getAgentSkills(String agentIdText, SimRequest request) {
        Agent agent = agent(agentIdText);
        List<SkillAssignment> all = new ArrayList<>(agentSkills.get(agent.agentId()).values());
        ObjectNode body = Json.object().put("businessUnitId", businessUnitId);
        body.set("agentSkillAssignments", pageInto(body, request, all, s -> assignmentJson(agent, s),
                "/agents/" + agent.agentId() + "/skills", "agentSkillAssignments", SKILLS_DEFAULT_TOP));
        return SimResponse.json(200, body);
    }

    /** One item of {@code agentSkillAssignments}, fields as NICE's spec names them (no {@code proficiency} here). */
    private ObjectNode assignmentJson(Agent agent, SkillAssignment s) {
        Skill skill = skills.get(s.skillId());
        ObjectNode node = Json.object().put("agentId", agent.agentId());
        node.set("skillId", idNode(s.skillId()));
        node.put("skillName", skill == null ? "" : skill.name())
                .put("agentProficiencyValue", s.proficiency()).put("agentProficiencyName", String.valueOf(s.proficiency()))
                .put("isActive", s.active()).put("isSkillActive", true)
                .put("firstName", agent.firstName()).put("lastName", agent.lastName())
                .put("mediaTypeId", 4).put("mediaTypeName", "Phone Call").put("isOutbound", false)
                .put("lastUpdateTime", now().toString());
        node.set("teamId", idNode(agent.teamId()));
        return node;
    }

    /**
     * POST assigns skills the agent does not have, PUT modifies assignments it has ({@code isActive} required on
     * each), DELETE removes. A malformed body (no {@code skills}, an item without {@code skillId}, an unknown field, a
     * proficiency outside 1-20, PUT without {@code isActive}) is 400 for the whole request. A skill that cannot be
     * changed (unknown; already assigned on POST; not assigned on PUT/DELETE) is an error in the {@code resultSet};
     * the answer is 200 when something was applied and 409 (with the same resultSet) when nothing was. Why: NICE
     * answers skill writes with a per-skill {@code resultSet}, so partial refusals belong in it; the status of a request
     * refused whole is unconfirmed, and 409 makes a client that ignores {@code errorCount} fail loudly.
     */
    private SimResponse changeAgentSkills(String agentIdText, SimRequest request, SkillChange change) {
        SimResponse answer = changeAgentSkills0(agentIdText, request, change);
        if (lostSkillAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return errorResponse(504, "GatewayTimeout", "the change was applied but its answer was lost");
        }
        return answer;
    }

    private SimResponse changeAgentSkills0(String agentIdText, SimRequest request, SkillChange change) {
        Agent agent = agent(agentIdText);
        JsonNode body = Json.parse(request.body());
        requireOnly(body, java.util.Set.of("skills"), "body");
        JsonNode items = skillItems(body.path("skills"), "skills", change == SkillChange.MODIFY);
        ArrayNode results = Json.array();
        int errors = 0;
        for (JsonNode item : items) {
            errors += applySkill(agent, item, change, results) ? 0 : 1;
        }
        return resultSet(results, errors);
    }

    /**
     * Bulk {@code POST /agents/skills}: {@code {"agentAndSkillDetails":[{"agentIds":[...],"skills":[...]}]}}. NICE's spec
     * calls it "Add or Modify skill assignments for multiple agent": each skill is assigned, or its assignment updated,
     * for each agent; results are per agent and skill, status as for the per-agent call.
     */
    private SimResponse bulkAgentSkills(SimRequest request) {
        JsonNode body = Json.parse(request.body());
        requireOnly(body, java.util.Set.of("agentAndSkillDetails"), "body");
        JsonNode details = body.path("agentAndSkillDetails");
        if (!details.isArray() || details.isEmpty()) {
            throw new SimHttpException(400, "InvalidRequest", "agentAndSkillDetails must be a non-empty array");
        }
        for (JsonNode d : details) {
            requireOnly(d, java.util.Set.of("agentIds", "skills"), "agentAndSkillDetails[]");
            if (!d.path("agentIds").isArray() || d.path("agentIds").isEmpty()) {
                throw new SimHttpException(400, "InvalidRequest", "agentAndSkillDetails[].agentIds must be a non-empty array");
            }
            skillItems(d.path("skills"), "agentAndSkillDetails[].skills", false);
        }
        ArrayNode results = Json.array();
        int errors = 0;
        for (JsonNode d : details) {
            for (JsonNode idNode : d.path("agentIds")) {
                String id = idNode.asText();
                Agent agent = id.matches("\\d{1,9}") ? agents.get(Integer.parseInt(id)) : null;
                for (JsonNode item : d.path("skills")) {
                    if (agent == null) {
                        errors++;
                        results.add(skillResult(id, item.path("skillId").asText(), "Agent " + id + " not found"));
                    } else {
                        boolean has = agentSkills.get(agent.agentId()).containsKey(item.path("skillId").asText());
                        errors += applySkill(agent, item, has ? SkillChange.MODIFY : SkillChange.ASSIGN, results) ? 0 : 1;
                    }
                }
            }
        }
        return resultSet(results, errors);
    }

    /** The validated {@code skills} array of a body: whole-request errors are 400. */
    private static JsonNode skillItems(JsonNode items, String where, boolean isActiveRequired) {
        if (!items.isArray() || items.isEmpty()) {
            throw new SimHttpException(400, "InvalidRequest", where + " must be a non-empty array");
        }
        for (JsonNode item : items) {
            requireOnly(item, SKILL_FIELDS, where + "[]");
            JsonNode id = item.path("skillId");
            if (!(id.isTextual() || id.isIntegralNumber()) || !id.asText().matches("\\d{1,18}")) {
                throw new SimHttpException(400, "InvalidRequest", where + "[].skillId is required (a skill id), was " + id);
            }
            if (isActiveRequired && !item.path("isActive").isBoolean()) {
                throw new SimHttpException(400, "InvalidRequest", where + "[].isActive is required (true or false) on PUT");
            }
            if (item.has("isActive") && !item.path("isActive").isBoolean()) {
                throw new SimHttpException(400, "InvalidRequest", where + "[].isActive must be true or false");
            }
            if (item.has("proficiency") && (!item.path("proficiency").isIntegralNumber()
                    || item.path("proficiency").asInt() < 1 || item.path("proficiency").asInt() > 20)) {
                throw new SimHttpException(400, "InvalidRequest", where + "[].proficiency must be a whole number from 1 to 20");
            }
        }
        return items;
    }

    /** NICE's unknown-field behaviour is unconfirmed; the simulator refuses them, holding clients to the documented fields. */
    private static void requireOnly(JsonNode node, java.util.Set<String> allowed, String where) {
        if (!node.isObject()) {
            throw new SimHttpException(400, "InvalidRequest", where + " must be a JSON object");
        }
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new SimHttpException(400, "InvalidRequest", where + ": unknown field " + f + " (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        });
    }

    /** Applies one skill to one agent; false (with an error result) when it cannot be. */
    private boolean applySkill(Agent agent, JsonNode item, SkillChange change, ArrayNode results) {
        Map<String, SkillAssignment> assigned = agentSkills.get(agent.agentId());
        String skillId = item.path("skillId").asText();
        SkillAssignment existing = assigned.get(skillId);
        String error = null;
        if (!skills.containsKey(skillId)) {
            error = "Skill " + skillId + " not found";
        } else if (change == SkillChange.ASSIGN && existing != null) {
            error = "Agent " + agent.agentId() + " is already assigned to skill " + skillId + "; use PUT to modify it";
        } else if (change != SkillChange.ASSIGN && existing == null) {
            error = "Agent " + agent.agentId() + " is not assigned to skill " + skillId;
        } else if (change == SkillChange.REMOVE) {
            assigned.remove(skillId);
        } else {
            int proficiency = item.path("proficiency").asInt(existing == null ? 1 : existing.proficiency());
            boolean active = item.path("isActive").asBoolean(existing == null || existing.active());
            assigned.put(skillId, new SkillAssignment(skillId, proficiency, active));
        }
        results.add(skillResult(String.valueOf(agent.agentId()), skillId, error));
        return error == null;
    }

    private static ObjectNode skillResult(String agentId, String skillId, String error) {
        ObjectNode result = Json.object();
        result.set("agentId", idNode(agentId));
        result.set("skillId", idNode(skillId));
        result.put("success", error == null);
        if (error == null) {
            result.putNull("error");
        } else {
            result.put("error", error);
        }
        return result;
    }

    private static SimResponse resultSet(ArrayNode results, int errors) {
        ObjectNode resultSet = Json.object().put("errorCount", errors);
        resultSet.set("skillResults", results);
        ObjectNode body = Json.object().set("resultSet", resultSet);
        if (errors == results.size()) {
            body.put("error", "Conflict").put("error_description", "no skill assignment was changed: " + errors + " error(s)");
            return SimResponse.json(409, body);
        }
        return SimResponse.json(200, body);
    }

    private SimResponse skillList() {
        ArrayNode list = Json.array();
        skills.values().forEach(s -> {
            ObjectNode node = Json.object();
            node.set("skillId", idNode(s.skillId()));
            node.put("skillName", s.name()).put("isActive", true).put("mediaTypeId", 4).put("mediaTypeName", "Phone Call")
                    .put("isOutbound", false);
            list.add(node);
        });
        ObjectNode body = Json.object().put("businessUnitId", businessUnitId).put("totalRecords", list.size());
        body.set("skills", list);
        return SimResponse.json(200, body);
    }

    /** Paged like NICE's: {@code top}/{@code skip}, {@code totalRecords}, {@code _links.next}; a small default page. */
    private SimResponse allSkillActivity(SimRequest request) {
        ObjectNode body = Json.object();
        body.set("skillActivity", pageInto(body, request, new ArrayList<>(skills.values()), this::skillActivityJson,
                "/skills/activity", "skillActivity", SKILLS_DEFAULT_TOP));
        return SimResponse.json(200, body);
    }

    private SimResponse oneSkillActivity(String skillId) {
        Skill skill = skills.get(skillId);
        if (skill == null) {
            throw new SimHttpException(404, "NotFound", "Skill " + skillId + " not found");
        }
        ObjectNode body = Json.object().put("lastPollTime", now().toString());
        body.putArray("skillActivity").add(skillActivityJson(skill));
        return SimResponse.json(200, body);
    }

    // ---- rendering ----

    private Agent agent(String agentIdText) {
        if (!agentIdText.matches("\\d{1,9}")) {
            throw new SimHttpException(400, "InvalidRequest", "agentId must be an integer, was " + agentIdText);
        }
        Agent agent = agents.get(Integer.parseInt(agentIdText));
        if (agent == null) {
            throw new SimHttpException(404, "NotFound", "Agent " + agentIdText + " not found");
        }
        return agent;
    }

    /** NICE ids are integers; seeded ids that are numeric are answered as numbers. */
    private static JsonNode idNode(String id) {
        return id != null && id.matches("\\d{1,18}") ? Json.MAPPER.getNodeFactory().numberNode(Long.parseLong(id))
                : Json.MAPPER.getNodeFactory().textNode(id);
    }

    private ObjectNode agentJson(Agent a) {
        ObjectNode node = Json.object().put("agentId", a.agentId()).put("userName", a.userName())
                .put("firstName", a.firstName()).put("lastName", a.lastName())
                .put("userID", UUID.nameUUIDFromBytes(("nice-agent:" + a.agentId()).getBytes(StandardCharsets.UTF_8)).toString())
                .put("emailAddress", a.email()).put("isActive", a.active());
        node.set("teamId", idNode(a.teamId()));
        node.put("teamName", teamNames.getOrDefault(a.teamId(), "Team " + a.teamId()))
                .put("profileId", 1).put("businessUnitId", businessUnitId);
        return node;
    }

    private ObjectNode agentStateJson(Agent a, AgentState s) {
        ObjectNode node = Json.object().put("agentId", a.agentId()).put("agentStateId", STATE_IDS.getOrDefault(s.stateName(), 0))
                .put("agentStateName", s.stateName()).put("businessUnitId", businessUnitId)
                .put("isActive", a.active()).put("isOutbound", false)
                .put("isACW", Optional.ofNullable(unavailableCodes.get(s.outStateId())).map(UnavailableCode::acw).orElse(false))
                .put("outStateId", s.outStateId()).put("outStateDescription", s.outStateDescription())
                .put("startDate", s.startDate().toString());
        if (s.loggedIn()) {
            node.put("sessionStartTime", s.sessionStartTime().toString()).put("stationId", 1);
        } else {
            node.putNull("sessionStartTime").putNull("stationId");
        }
        node.set("teamId", idNode(a.teamId()));
        node.put("teamName", teamNames.getOrDefault(a.teamId(), "Team " + a.teamId())).put("userName", a.userName());
        return node;
    }

    private static ObjectNode unavailableCodeJson(UnavailableCode c) {
        return Json.object().put("id", c.id()).put("name", c.name()).put("isActive", c.active()).put("isACW", c.acw())
                .put("notes", c.notes()).put("agentTimeout", c.agentTimeout());
    }

    /** Figures come from {@link #setSkillActivity}; unavailable is what is left of logged-in. */
    private ObjectNode skillActivityJson(Skill skill) {
        SkillActivity a = skillActivity.get(skill.skillId());
        int unavailable = Math.max(0, a.agentsLoggedIn() - a.agentsWorking() - a.agentsACW() - a.agentsAvailable());
        ObjectNode node = Json.object().put("serverTime", now().toString()).put("businessUnitId", businessUnitId)
                .put("agentsACW", a.agentsACW()).put("agentsAvailable", a.agentsAvailable())
                .put("agentsIdle", a.agentsAvailable()).put("agentsLoggedIn", a.agentsLoggedIn())
                .put("agentsUnavailable", unavailable).put("agentsWorking", a.agentsWorking())
                .put("campaignId", 0).put("campaignName", "").put("contactsActive", a.agentsWorking())
                .putNull("earliestQueueTime").put("isActive", true).put("inSLA", 0).put("outSLA", 0)
                .put("isOutbound", false).put("mediaTypeId", 4).put("mediaTypeName", "Phone Call")
                .put("queueCount", a.queueCount()).put("serviceLevel", 100).put("serviceLevelGoal", 80)
                .put("serviceLevelThreshold", 30);
        node.set("skillId", idNode(skill.skillId()));
        node.put("skillName", skill.name()).put("skillQueueCount", a.queueCount()).put("personalQueueCount", 0)
                .put("parkedCount", 0);
        return node;
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
