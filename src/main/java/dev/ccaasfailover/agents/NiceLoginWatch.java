package dev.ccaasfailover.agents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The login watch (docs/architecture.md, {@code agents.login-watch-ms}, {@code agents.login-poll-ms}): NICE sets an agent's state
 * only inside an agent session, and at a failover most NICE agents are LoggedOut until they log in through SSO. The
 * agents step gives them their skills at once and hands their mapped state here ({@link #start}); for login-watch-ms
 * the route failover-login-watch calls {@link #tick} every login-poll-ms, which reads NICE's agent states that changed
 * (endpoint {@code agentStatesSince}) and applies each waiting agent's state once, when that agent is first seen logged in.
 *
 * <p>Everything lives in the store, table {@value #TABLE}, partition {@value #PK}: the header ({@code sk=watch}: run,
 * watchUntil, NICE's lastPollTime, counts) and one item per agent ({@code sk=agent#<id>}: the mapped state and its
 * status pending, applying, applied, left-alone, failed or superseded). So a restart, or another instance, resumes the
 * watch from the store while watchUntil is in the future, and every status change is a conditional write: two
 * instances polling together never both apply one agent's state (the one whose {@code applying} claim wins does).
 *
 * <p>An agent is applied only on its first observation after login, and only while it is still in NICE's session-start
 * state (Unavailable with no code, or LoggedIn, not changed since sessionStartTime): an agent seen in any other state
 * chose it (or is on a contact) and is left alone. A LoggedOut agent is neither a failure nor a retry: it waits.
 * <p>Size: the whole login watch (pending states in the store, polling updatedSince, applying once, status counts)
 * is one state machine.
 */
public final class NiceLoginWatch {

    private static final Logger LOG = LoggerFactory.getLogger(NiceLoginWatch.class);
    public static final String TABLE = "agent-login";
    static final String PK = "nice";
    static final String HEADER = "watch";
    static final String AGENT_PREFIX = "agent#";
    /** Items outlive their watch by this much, for the journal's readers; then retention takes them. */
    static final Duration KEEP_AFTER = Duration.ofDays(7);
    /** An {@code applying} claim older than this belongs to an instance that died between claim and answer. */
    static final Duration CLAIM_TIMEOUT = Duration.ofSeconds(60);
    /** A state whose startDate is this close to sessionStartTime is the one the session started in. */
    static final Duration SESSION_START_TOLERANCE = Duration.ofSeconds(2);
    private static final int MAX_AGENTS = 1_000_000;
    private static final int WRITE_TRIES = 8;

    enum Status { pending, applying, applied, left_alone, failed, superseded }

    /** One agent's waiting state and what became of it. */
    record Entry(String agentId, String agent, String state, String reason, int outStateId, Status status, String runId,
                 String since, String claimedBy, String claimedAt, String detail) {
        PendingLogin pending() {
            return new PendingLogin(agentId, agent, state, reason, outStateId);
        }

        Entry with(Status s, String detail, String at, String by) {
            return new Entry(agentId, agent, state, reason, outStateId, s, runId, at, by, s == Status.applying ? at : null, detail);
        }
    }

    /** The watch itself; counts are this watch's, kept current by whoever changes an agent's status. */
    record Watch(String runId, String startedAt, String watchUntil, String lastPollTime, String lastPollAt,
                  int pending, int applied, int leftAlone, int failed, boolean ended) {
        Watch counted(int dPending, int dApplied, int dLeftAlone, int dFailed) {
            return new Watch(runId, startedAt, watchUntil, lastPollTime, lastPollAt, Math.max(0, pending + dPending),
                    applied + dApplied, leftAlone + dLeftAlone, failed + dFailed, ended);
        }
    }

    private record Versioned<T>(T value, long version) { }

    private final Store store;
    private final NiceAgentsClient nice;
    private final Clock clock;
    private final Duration watchFor;
    private final String instanceId;
    /**
     * Every state is read (not only those updated since) on this process's first poll and then every
     * {@link #FULL_ROUND_EVERY}: that round settles claims a dead instance left and anything a filtered read missed.
     */
    static final Duration FULL_ROUND_EVERY = Duration.ofMinutes(5);
    private volatile Instant lastFullRound;

    public NiceLoginWatch(Store store, NiceAgentsClient nice, Clock clock, long watchMs, String instanceId) {
        this.store = store;
        this.nice = nice;
        this.clock = clock;
        this.watchFor = Duration.ofMillis(watchMs);
        this.instanceId = instanceId;
    }

    /**
     * What the running watch holds, read before a sync (empty once its watchUntil has passed).
     *
     * @param waiting agent id to the state it waits for
     * @param settled the agents the running watch already settled at their login (applied, or left alone because they
     *                chose a state): a sync run again during the watch leaves their state alone too
     */
    public record View(Map<String, PendingLogin> waiting, Set<String> settled) { }

    public View pending() {
        Map<String, PendingLogin> waiting = new HashMap<>();
        Set<String> settled = new HashSet<>();
        boolean active = header().map(h -> clock.instant().isBefore(Instant.parse(h.value().watchUntil()))).orElse(false);
        entries().values().forEach(e -> {
            Status s = e.value().status();
            if (!active) {
                return; // an ended watch holds nothing: a new run starts a new one
            }
            if (s == Status.pending || s == Status.applying) {
                waiting.put(e.value().agentId(), e.value().pending());
            } else if (s == Status.applied || s == Status.left_alone) {
                settled.add(e.value().agentId());
            }
        });
        return new View(waiting, settled);
    }

    /**
     * Starts (or continues) the watch with this run's waiting agents; the body (the agents' outcomes) passes through.
     * Waiting agents not in the list any more (set at once by this run, or no longer mapped) are superseded. Sets
     * header {@code agentsLoginWatch}: pendingLogin, newlyPending, watchUntil. With {@code dryRun} nothing is written.
     */
    public List<AgentOutcome> start(@Body List<AgentOutcome> outcomes,
                                    @ExchangeProperty(NiceAgentsClient.PENDING_LOGIN) List<PendingLogin> waiting,
                                    @Header("runId") String runId, @Header("dryRun") boolean dryRun,
                                    org.apache.camel.Exchange exchange) {
        List<PendingLogin> list = waiting == null ? List.of() : waiting;
        Map<String, Versioned<Entry>> existing = entries();
        int newly = 0;
        Instant now = clock.instant();
        Optional<Versioned<Watch>> current = header();
        boolean active = current.isPresent() && now.isBefore(Instant.parse(current.get().value().watchUntil()));
        Instant until = now.plus(watchFor);
        Instant expires = until.plus(KEEP_AFTER);
        Set<String> ids = new HashSet<>();
        for (PendingLogin p : list) {
            ids.add(p.agentId());
            Versioned<Entry> e = existing.get(p.agentId());
            if (active && e != null && (e.value().status() == Status.pending || e.value().status() == Status.applying)
                    && e.value().pending().equals(p)) {
                continue;
            }
            newly++;
            if (!dryRun) {
                Entry entry = new Entry(p.agentId(), p.agent(), p.state(), p.reason(), p.outStateId(), Status.pending, runId,
                        now.toString(), null, null, null);
                StoreItem item = StoreItem.of(TABLE, PK, AGENT_PREFIX + p.agentId(), Json.write(entry), expires);
                if (!(e == null ? store.putIfAbsent(item) : store.putIfVersion(item, e.version()))) {
                    LOG.info("Login watch: agent {} changed meanwhile by another writer; kept its version", p.agentId());
                }
            }
        }
        int superseded = 0;
        for (Versioned<Entry> e : existing.values()) {
            Entry en = e.value();
            if (en.status() == Status.pending && !ids.contains(en.agentId())) {
                superseded++;
                if (!dryRun) {
                    store.putIfVersion(item(en.with(Status.superseded, "no longer waiting after run " + runId, now.toString(), null),
                            expires), e.version());
                }
            }
        }
        boolean changed = newly > 0 || superseded > 0;
        String watchUntil = changed || !active ? until.toString() : current.get().value().watchUntil();
        if (!dryRun && (changed || (!active && !list.isEmpty()))) {
            int n = list.size();
            writeHeader(h -> h == null || !active
                    ? new Watch(runId, now.toString(), until.toString(), null, null, n, 0, 0, 0, false)
                    : new Watch(runId, h.startedAt(), until.toString(), h.lastPollTime(), h.lastPollAt(), n, h.applied(),
                            h.leftAlone(), h.failed(), false), expires);
            LOG.info("Login watch run={}: {} NICE agent(s) wait for their login ({} new), their states applied as they log in,"
                    + " read every poll until {}", runId, n, newly, watchUntil);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("pendingLogin", list.size());
        summary.put("newlyPending", newly);
        summary.put("superseded", superseded);
        summary.put("watchUntil", list.isEmpty() && !active ? null : watchUntil);
        exchange.getMessage().setHeader("agentsLoginWatch", summary);
        return outcomes;
    }

    /**
     * One poll, while a watch runs: reads the states that changed since NICE's last lastPollTime (every state on this
     * process's first round) and settles each waiting agent seen logged in. Ends the watch at watchUntil.
     */
    public void tick() {
        Optional<Versioned<Watch>> read = header();
        if (read.isEmpty()) {
            return;
        }
        Watch h = read.get().value();
        Instant now = clock.instant();
        if (!now.isBefore(Instant.parse(h.watchUntil()))) {
            if (!h.ended()) {
                writeHeader(x -> new Watch(x.runId(), x.startedAt(), x.watchUntil(), x.lastPollTime(), x.lastPollAt(),
                        x.pending(), x.applied(), x.leftAlone(), x.failed(), true), null);
                LOG.info("Login watch run={} ended: {} applied at login, {} left alone (their own state), {} failed, {} still"
                        + " LoggedOut (their mapped state is not applied)", h.runId(), h.applied(), h.leftAlone(), h.failed(), h.pending());
            }
            return;
        }
        boolean full = lastFullRound == null || h.lastPollTime() == null || !now.isBefore(lastFullRound.plus(FULL_ROUND_EVERY));
        NiceAgentsClient.AgentStates states;
        try {
            states = nice.agentStates(full ? null : h.lastPollTime());
        } catch (VendorCallException e) {
            LOG.warn("Login watch run={}: NICE agent states not read ({}); next poll tries again", h.runId(), e.getMessage());
            return;
        }
        Map<String, Versioned<Entry>> entries = full ? entries() : new HashMap<>();
        int[] delta = new int[4]; // pending, applied, left alone, failed
        Instant expires = Instant.parse(h.watchUntil()).plus(KEEP_AFTER);
        for (JsonNode s : states.states()) {
            String agentId = s.path("agentId").asText();
            if (NiceAgentsClient.LOGGED_OUT.equals(s.path("agentStateName").asText(NiceAgentsClient.LOGGED_OUT))) {
                continue; // waits: neither a failure nor a retry
            }
            Versioned<Entry> e = full ? entries.get(agentId) : get(agentId).orElse(null);
            if (e != null) {
                settle(s, e, now, delta, expires);
            }
        }
        if (full) {
            lastFullRound = now;
        }
        String lastPollTime = states.lastPollTime() != null ? states.lastPollTime() : h.lastPollTime();
        writeHeader(x -> new Watch(x.runId(), x.startedAt(), x.watchUntil(), lastPollTime, now.toString(), x.pending(),
                x.applied(), x.leftAlone(), x.failed(), x.ended()).counted(delta[0], delta[1], delta[2], delta[3]), null);
    }

    /**
     * One waiting agent seen logged in. NICE has no conditional state change (no version on the state call), so
     * an agent who picks a state between our read and our POST (at most one poll plus the call) can still be
     * overwritten; everything else is decided on the observation: only NICE's session-start state is ours to replace.
     */
    private void settle(JsonNode s, Versioned<Entry> e, Instant now, int[] delta, Instant expires) {
        Entry en = e.value();
        if (en.status() == Status.applying) {
            if (Instant.parse(en.claimedAt()).plus(CLAIM_TIMEOUT).isAfter(now)) {
                return; // another instance (or this one) is applying it right now
            }
            if (holds(s, en)) { // the POST went through, its instance died before recording it
                write(en.with(Status.applied, "applied (recovered after an interrupted claim)", now.toString(), null), e.version(), expires);
                delta[0]--;
                delta[1]++;
                return;
            }
        } else if (en.status() != Status.pending) {
            return;
        }
        String seen = describe(s);
        if (!atSessionStart(s)) {
            if (write(en.with(Status.left_alone, "first seen logged in as " + seen + ": the agent's own state, left alone",
                    now.toString(), null), e.version(), expires)) {
                LOG.info("Login watch: agent {} logged in and is {}: left alone", en.agentId(), seen);
                delta[0]--;
                delta[2]++;
            }
            return;
        }
        Entry claim = en.with(Status.applying, null, now.toString(), instanceId);
        if (!write(claim, e.version(), expires)) {
            return; // another instance claimed it first
        }
        try {
            if (nice.setState(en.agentId(), en.state(), en.outStateId())) {
                write(claim.with(Status.applied, "applied at login (was " + seen + ")", clock.instant().toString(), null), e.version() + 1, expires);
                LOG.info("Login watch: agent {} logged in: set to {}", en.agentId(), en.pending().target());
                delta[0]--;
                delta[1]++;
            } else {
                write(claim.with(Status.pending, "logged out again before the state was set", clock.instant().toString(), null),
                        e.version() + 1, expires);
            }
        } catch (VendorCallException ex) {
            write(claim.with(Status.failed, ex.getMessage(), clock.instant().toString(), null), e.version() + 1, expires);
            LOG.warn("Login watch: agent {} logged in but its state {} failed: {}", en.agentId(), en.pending().target(), ex.getMessage());
            delta[0]--;
            delta[3]++;
        }
    }

    /** NICE's state when a session starts: Unavailable with no code (NICE's docs), or LoggedIn, unchanged since. */
    static boolean atSessionStart(JsonNode s) {
        String name = s.path("agentStateName").asText();
        boolean initial = "LoggedIn".equals(name) || ("Unavailable".equals(name) && s.path("outStateId").asInt(0) == 0);
        if (!initial) {
            return false;
        }
        Instant session = instant(s.path("sessionStartTime").asText(null));
        Instant state = instant(s.path("startDate").asText(null));
        return session == null || state == null || !state.isAfter(session.plus(SESSION_START_TOLERANCE));
    }

    private static boolean holds(JsonNode s, Entry en) {
        return en.state().equals(s.path("agentStateName").asText()) && (en.outStateId() == 0 || en.outStateId() == s.path("outStateId").asInt());
    }

    private static String describe(JsonNode s) {
        String reason = s.path("outStateDescription").asText("");
        return s.path("agentStateName").asText() + (reason.isBlank() ? "" : "/" + reason);
    }

    private static Instant instant(String text) {
        try {
            return text == null || text.isBlank() ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * For GET /status: {@code agentsPendingLogin}, {@code agentsApplied}, {@code watchUntil} and the rest under
     * {@code agentsLoginWatch}; null before the first watch.
     */
    public Map<String, Object> status() {
        return header().map(v -> {
            Watch h = v.value();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("agentsPendingLogin", h.pending());
            m.put("agentsApplied", h.applied());
            m.put("watchUntil", h.watchUntil());
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("runId", h.runId());
            w.put("platform", PK);
            w.put("state", h.ended() || !clock.instant().isBefore(Instant.parse(h.watchUntil())) ? "ended" : "watching");
            w.put("startedAt", h.startedAt());
            w.put("lastPollAt", h.lastPollAt());
            w.put("agentsLeftAlone", h.leftAlone());
            w.put("agentsFailed", h.failed());
            m.put("agentsLoginWatch", w);
            return m;
        }).orElse(null);
    }

    /**
     * Gauges of the latest watch, as {@code /status} shows it: {@code failover.agents.login.watch.agents} by
     * {@code outcome} (pending, applied, left_alone, failed) and {@code failover.agents.login.watch.active} (1 while
     * watching). Every instance shows the shared watch (it lives in the store); NaN while the store cannot be read.
     */
    public void bindMetrics(MeterRegistry registry) {
        if (registry == null) {
            return;
        }
        Map<String, java.util.function.ToIntFunction<Watch>> outcomes = new LinkedHashMap<>();
        outcomes.put("pending", Watch::pending);
        outcomes.put("applied", Watch::applied);
        outcomes.put("left_alone", Watch::leftAlone);
        outcomes.put("failed", Watch::failed);
        outcomes.forEach((outcome, count) -> Gauge.builder("failover.agents.login.watch.agents",
                        () -> watchGauge(w -> count.applyAsInt(w)))
                .description("NICE agents of the latest login watch, by outcome").tag("outcome", outcome).register(registry));
        Gauge.builder("failover.agents.login.watch.active",
                        () -> watchGauge(w -> !w.ended() && clock.instant().isBefore(Instant.parse(w.watchUntil())) ? 1 : 0))
                .description("1 while a NICE login watch waits for agents to log in").register(registry);
    }

    private double watchGauge(java.util.function.ToIntFunction<Watch> value) {
        try {
            return header().map(v -> (double) value.applyAsInt(v.value())).orElse(0.0);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    // ---- store ----

    private Map<String, Versioned<Entry>> entries() {
        Map<String, Versioned<Entry>> out = new HashMap<>();
        for (StoreItem i : store.query(TABLE, PK, MAX_AGENTS)) {
            if (i.sk().startsWith(AGENT_PREFIX)) {
                Entry e = read(i.data(), Entry.class);
                out.put(e.agentId(), new Versioned<>(e, i.version()));
            }
        }
        return out;
    }

    private Optional<Versioned<Entry>> get(String agentId) {
        return store.get(TABLE, PK, AGENT_PREFIX + agentId).map(i -> new Versioned<>(read(i.data(), Entry.class), i.version()));
    }

    private Optional<Versioned<Watch>> header() {
        return store.get(TABLE, PK, HEADER).map(i -> new Versioned<>(read(i.data(), Watch.class), i.version()));
    }

    private boolean write(Entry e, long expectedVersion, Instant expires) {
        return store.putIfVersion(item(e, expires), expectedVersion);
    }

    private static StoreItem item(Entry e, Instant expires) {
        return StoreItem.of(TABLE, PK, AGENT_PREFIX + e.agentId(), Json.write(e), expires);
    }

    /** Read-modify-write of the header on its version, retried when another writer got there first. */
    private void writeHeader(java.util.function.UnaryOperator<Watch> change, Instant expiresOrNull) {
        for (int i = 0; i < WRITE_TRIES; i++) {
            Optional<Versioned<Watch>> h = header();
            Watch next = change.apply(h.map(Versioned::value).orElse(null));
            Instant expires = expiresOrNull != null ? expiresOrNull : Instant.parse(next.watchUntil()).plus(KEEP_AFTER);
            StoreItem item = StoreItem.of(TABLE, PK, HEADER, Json.write(next), expires);
            if (store.putIfVersion(item, h.map(Versioned::version).orElse(0L))) {
                return;
            }
        }
        LOG.warn("Login watch: header not written after {} tries (contended); its counts catch up on the next change", WRITE_TRIES);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException("login watch item is not readable as " + type.getSimpleName(), e);
        }
    }
}
