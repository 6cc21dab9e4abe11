package dev.ccaasfailover.runbook;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.HealthBoard;
import dev.ccaasfailover.health.HealthStatus;
import dev.ccaasfailover.http.ApiException;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The runbook's state machine, NORMAL → FAILING_OVER → FAILED_OVER → FAILING_BACK → NORMAL, called by the routes in
 * {@code failover-runbook.camel.yaml} and {@code failover-api.camel.yaml}. Every trigger goes through
 * {@link #decide}: what it saw (the control-plane state, health, the journal), what it decided, and why, logged with
 * that reason (as Patroni's ha.py). Starting a run, and resuming one whose owner's lease has expired (the lease poll on
 * every instance), is claimed by {@link RunClaim}, which also renews the lease of a run executing here; its steps are run by
 * {@link StepRunner}, and its end moves the state in {@link #finishRun}. Log lines of a run carry its run id through
 * Camel's MDC logging ({@link RunMdc}, exchange property {@code runId}).
 */
public class Runbook {

    private static final Logger LOG = LoggerFactory.getLogger(Runbook.class);
    /** Run side by side at the start of a run. */
    public static final List<String> PARALLEL_STEPS = List.of("dns", "trunk", "carrier");
    /** The steps that move the callers: agents wait for them, and the state moves on only when they held. The carrier
     * swap is not one: it speeds callers up on a trunk DNS already moved, so its failure is reported, not blocking. */
    public static final List<String> CUTOVER_STEPS = List.of("dns", "trunk");
    public static final List<String> PLAN = List.of("dns", "trunk", "carrier", "agents", "notify");

    // exchange properties of a run, read by the step routes and the step runner
    public static final String P_RUN_ID = "runId";
    public static final String P_EPOCH = "runEpoch";

    /** What woke the runbook: a health report, the failback timer, an operator, or the lease poll (every third of a lease). */
    enum Event { PLATFORM_DOWN, FAILBACK_TIMER, MANUAL, LEASE_POLL }

    record Trigger(Event event, Platform platform, String detail, RunRequest request, Duration primaryUp) {
    }

    enum Action { RUN, RESUME, ALERT, REFUSE, NONE }

    /** One decision and its reason; {@code level} null = a timer's unchanged answer, not logged. */
    record Decision(Action action, String reason, RunKind kind, Level level) {
        static Decision run(RunKind kind, String reason) {
            return new Decision(Action.RUN, reason, kind, null);
        }

        static Decision none(String reason) {
            return new Decision(Action.NONE, reason, null, Level.INFO);
        }

        static Decision idle(String reason) {
            return new Decision(Action.NONE, reason, null, null);
        }
    }

    private final FailoverConfig config;
    private final RunClaim claims;
    private final RunJournal journal;
    private final HealthBoard board;
    private final Clock clock;
    private volatile Instant primaryUpSince;
    /** The lease poll's last logged answer: a run waiting for an operator is said once, not every poll. */
    private volatile String lastPollNotice;

    public Runbook(FailoverConfig config, RunClaim claims, RunJournal journal, HealthBoard board, Clock clock) {
        this.config = config;
        this.claims = claims;
        this.journal = journal;
        this.board = board;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- the state machine

    /** Every trigger's decision, in one place. {@code seen} reads the control plane (once, and only when needed). */
    Decision decide(Trigger t, Supplier<Versioned<ControlPlaneState>> seen) {
        Platform primary = config.primary();
        Platform secondary = config.secondary();
        switch (t.event()) {
            case PLATFORM_DOWN -> {
                ControlPlaneState cp;
                if (t.platform() != primary) {
                    return Decision.none("Secondary " + t.platform() + " reported Down (" + t.detail() + "); the runbook has nothing to do");
                } else if ((cp = seen.get().value()).state() != ControlPlaneState.Phase.NORMAL) {
                    return Decision.none("Primary " + primary + " reported Down (" + t.detail() + ") while the state is " + cp.state() + ": no new failover");
                } else if (board.platformStatus(secondary) == HealthStatus.Down) {
                    return new Decision(Action.ALERT, "Both platforms are Down (" + primary + ": " + t.detail() + "; " + secondary
                            + ": Down): no failover, calls cannot be moved anywhere; operators must act", null, Level.ERROR);
                }
                return Decision.run(RunKind.FAILOVER, "primary " + primary + " Down: " + t.detail());
            }
            case FAILBACK_TIMER -> {
                ControlPlaneState.Phase phase;
                if (!config.runbook().failbackAuto()) {
                    return Decision.idle("failback.auto=false");
                } else if (t.primaryUp() == null) {
                    return Decision.idle("primary not Up");
                } else if (t.primaryUp().toMillis() < config.runbook().failbackStableMs()) {
                    return Decision.idle("primary not stable yet");
                } else if ((phase = seen.get().value().state()) != ControlPlaneState.Phase.FAILED_OVER) {
                    return Decision.idle("state " + phase);
                }
                return Decision.run(RunKind.FAILBACK, "primary " + primary + " Up for " + t.primaryUp().toMillis() + " ms (failback.auto)");
            }
            case MANUAL -> {
                Platform target = t.request().kind().target(primary, secondary);
                if (board.platformStatus(target) == HealthStatus.Down && !t.request().force()) {
                    return new Decision(Action.REFUSE, "the target platform " + target + " is Down; send force=true to run anyway", null, Level.INFO);
                }
                return Decision.run(t.request().kind(), t.request().reason());
            }
            case LEASE_POLL -> {
                ControlPlaneState cp = seen.get().value();
                Optional<RunRecord> run;
                if (!cp.inTransition() || cp.runId() == null) {
                    return Decision.idle("state " + cp.state());
                } else if (claims.holds(cp.runId())) {
                    return Decision.idle("run " + cp.runId() + " executes here");
                } else if ((run = journal.run(cp.runId()).map(Versioned::value)).isPresent() && !RunRecord.RUNNING.equals(run.get().outcome())) {
                    return new Decision(Action.NONE, "State is " + cp.state() + " after run " + cp.runId() + " ended " + run.get().outcome()
                            + ": waiting for an operator (POST /failover or /failback)", null, Level.WARN);
                } else if (claims.leaseLive(cp)) {
                    // a live lease is never taken, whoever holds it (a peer, or this instance's former process)
                    return Decision.idle("run " + cp.runId() + " is live: owner " + cp.runOwner() + " holds its lease until "
                            + Times.iso(claims.leaseExpiry(cp)));
                }
                RunKind kind = cp.runKind() != null ? RunKind.parse(cp.runKind())
                        : cp.state() == ControlPlaneState.Phase.FAILING_OVER ? RunKind.FAILOVER : RunKind.FAILBACK;
                Instant expired = claims.leaseExpiry(cp);
                return new Decision(Action.RESUME, "Taking over run " + cp.runId() + " (" + cp.state() + "): lease expired at "
                        + (expired == null ? "an unrecorded time" : Times.iso(expired)) + ", owner "
                        + (cp.runOwner() == null ? "unrecorded" : cp.runOwner()), kind, Level.INFO);
            }
            default -> throw new IllegalArgumentException(t.event().name());
        }
    }

    /** Logs the decision and carries it out: {"action": "run"|"alert"|"none", "runId", "runEpoch", "message"}. */
    private Map<String, Object> act(Trigger t, Decision d, Supplier<Versioned<ControlPlaneState>> seen) {
        boolean repeated = t.event() == Event.LEASE_POLL && d.action() == Action.NONE && d.reason().equals(lastPollNotice);
        if (t.event() == Event.LEASE_POLL) {
            lastPollNotice = d.reason();
        }
        if (d.level() != null && !repeated) {
            LOG.atLevel(d.level()).log(d.reason());
        }
        Optional<RunClaim.Ticket> ticket = switch (d.action()) {
            case RUN -> Optional.ofNullable(claims.claim(d.kind(), "automatic", d.reason(), false, true).ticket());
            case RESUME -> claims.takeOver(seen.get(), d.kind());
            default -> Optional.empty();
        };
        Map<String, Object> m = new LinkedHashMap<>();
        ticket.ifPresent(tk -> m.putAll(tk.toMap()));
        m.put("action", ticket.isPresent() ? "run" : d.action() == Action.ALERT ? "alert" : "none");
        m.put("message", d.reason());
        if (ticket.isPresent() && t.event() == Event.FAILBACK_TIMER) {
            primaryUpSince = null;
        }
        return m;
    }

    private Map<String, Object> handle(Trigger t) {
        Supplier<Versioned<ControlPlaneState>> seen = memo(claims::read);
        return act(t, decide(t, seen), seen);
    }

    // ---------------------------------------------------------------- triggers (called by the routes)

    /** {@code direct:platform-down}: the primary Down and the secondary not Down starts a failover; both Down alerts. */
    public Map<String, Object> onPlatformDown(@Header("platform") String platformId, @Header("reason") String reason) {
        Platform platform = Platform.parse("platform", platformId);
        if (platform == config.primary()) {
            primaryUpSince = null;
        }
        return handle(new Trigger(Event.PLATFORM_DOWN, platform, reason, null, null));
    }

    /** {@code direct:platform-recovered}: only notes the time; failback is manual unless failback.auto. */
    public void onPlatformRecovered(@Header("platform") String platformId) {
        Platform platform = Platform.parse("platform", platformId);
        if (platform == config.primary()) {
            if (primaryUpSince == null) {
                primaryUpSince = clock.instant();
            }
            LOG.info("Primary {} recovered; failback is {}", platform, config.runbook().failbackAuto()
                    ? "automatic after " + config.runbook().failbackStableMs() + " ms Up" : "manual (POST /failback)");
        }
    }

    /** Timer: with failback.auto, starts a failback once the primary has been Up for failback.stable-ms. */
    public Map<String, Object> autoFailbackDue() {
        Instant now = clock.instant();
        Duration up = null;
        if (config.runbook().failbackAuto()) {
            if (board.platformStatus(config.primary()) != HealthStatus.Up) {
                primaryUpSince = null;
            } else {
                if (primaryUpSince == null) {
                    primaryUpSince = now;
                }
                up = Duration.between(primaryUpSince, now);
            }
        }
        return handle(new Trigger(Event.FAILBACK_TIMER, config.primary(), null, null, up));
    }

    /**
     * Lease poll (every {@link #leasePollMs}, on every instance): a run left FAILING_OVER / FAILING_BACK, still running,
     * whose lease has expired is taken over (new epoch, this instance's lease) and resumed; a live lease is left alone.
     */
    public Map<String, Object> resumeAbandoned() {
        return handle(new Trigger(Event.LEASE_POLL, null, null, null, null));
    }

    /** Period of the lease poll and of the owner's renewals: a third of failover.runbook.lease-ms. */
    public long leasePollMs() {
        return Math.max(100, claims.leaseMs() / 3);
    }

    /** Timer (every {@link #leasePollMs}): the owner renews the lease of each run executing here. */
    public void renewLeases() {
        claims.renewHeld();
    }

    /** POST /failover, /failback (not a dry run): the run's ticket, or 409 / 429 with the reason. */
    public Map<String, Object> startManual(@Body RunRequest request) {
        Decision d = decide(new Trigger(Event.MANUAL, null, request.reason(), request, null), memo(claims::read));
        if (d.action() == Action.REFUSE) {
            LOG.info("manual {} refused: {}", request.kind().id(), d.reason());
            throw new ApiException(409, d.reason(), null);
        }
        RunClaim.Claim claim = claims.claim(request.kind(), "manual", request.reason(), request.force(), false);
        if (claim.retryAt() != null) {
            long seconds = Math.max(1, (Duration.between(clock.instant(), claim.retryAt()).toMillis() + 999) / 1000);
            throw ApiException.tooManyRequests(request.kind().id() + " refused: " + claim.reason(), seconds);
        }
        if (!claim.started()) {
            throw new ApiException(409, request.kind().id() + " refused: " + claim.reason(), null);
        }
        return claim.ticket().toMap();
    }

    // ---------------------------------------------------------------- a run's transitions

    /**
     * Start of {@code seda:runbook-execute} (property runId set, header runEpoch): sets the properties the step routes
     * read. Takes the exchange because it sets several of them (see {@link RunTarget}).
     */
    public void beginRun(Exchange exchange) {
        String runId = exchange.getProperty(P_RUN_ID, String.class);
        long epoch = exchange.getMessage().getHeader(P_EPOCH, Long.class);
        RunRecord run = journal.run(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " has no journal header")).value();
        RunKind kind = RunKind.parse(run.kind());
        exchange.setProperty(P_EPOCH, epoch);
        // renewed while this exchange lives, however it ends (finished, fenced, failed, stopped)
        RunClaim.Ticket ticket = new RunClaim.Ticket(runId, epoch);
        claims.hold(ticket);
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                claims.drop(ticket);
            }
        });
        RunTarget.of(kind, config).applyTo(exchange);
        exchange.setProperty("parallelSteps", PARALLEL_STEPS);
        LOG.info("Run {} ({} {} → {}) executing on {} (epoch {}): dns ∥ trunk ∥ carrier, then agents, then notify", runId, run.trigger(), kind.id(),
                run.toPlatform(), claims.owner(), epoch);
    }

    /** After dns ∥ trunk: the run stops here when another instance owns it now. */
    public boolean fenced(@ExchangeProperty(P_RUN_ID) String runId, @ExchangeProperty(P_EPOCH) long epoch) {
        try {
            claims.checkFence(runId, epoch);
            return false;
        } catch (FencedOutException e) {
            LOG.warn("Run stops here: {}", e.getMessage());
            return true;
        }
    }

    /** After dns ∥ trunk: true when either did not complete (agents are then not moved; notify still reports). */
    public boolean cutoverFailed(@ExchangeProperty(P_RUN_ID) String runId) {
        return CUTOVER_STEPS.stream().anyMatch(s -> journal.step(runId, s).map(v -> !v.value().completed()).orElse(true));
    }

    /** The run's end: the outcome journaled, and the state moved on (to kind.after()) only when the cutover held. */
    public Map<String, Object> finishRun(@ExchangeProperty(P_RUN_ID) String runId, @ExchangeProperty(P_EPOCH) long epoch) {
        RunRecord run = journal.run(runId).orElseThrow().value();
        RunKind kind = RunKind.parse(run.kind());
        RunOutcome o = journal.outcome(runId);
        Optional<ControlPlaneState> next = o.cutoverDone()
                ? claims.release(new RunClaim.Ticket(runId, epoch), kind, kind.after(), run.toPlatform())
                : claims.release(new RunClaim.Ticket(runId, epoch), kind, null, null);
        if (next.isEmpty()) {
            return Map.of("runId", runId, "outcome", "fenced");
        }
        journal.finish(runId, o, next.get().updatedAt());
        if (o.done()) {
            LOG.info("Run {} done: state {}, calls on {}", runId, next.get().state(), next.get().activePlatform());
        } else {
            LOG.error("Run {} FAILED at step {}: {}; state {}, calls on {}", runId, o.failedStep(), o.detail(),
                    next.get().state(), next.get().activePlatform());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", runId);
        m.put("outcome", o.outcome());
        m.put("state", next.get().state().name());
        return m;
    }

    private static <T> Supplier<T> memo(Supplier<T> read) {
        Object[] value = new Object[1];
        return () -> {
            if (value[0] == null) {
                value[0] = read.get();
            }
            @SuppressWarnings("unchecked")
            T t = (T) value[0];
            return t;
        };
    }
}
