package dev.ccaasfailover.runbook;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.HealthBoard;
import dev.ccaasfailover.health.HealthStatus;
import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.observe.LogValues;
import dev.ccaasfailover.http.PathParameter;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runbook's control loop, called by the routes in {@code failover-*.camel.yaml}: decides whether a run may
 * start (and claims it with a conditional write), walks a run's steps against the journal (a completed step is
 * never repeated, a failing one is retried with bounded exponential backoff), fences a run whose epoch is no longer
 * current, and finishes it. Every decision is logged with its reason; every log line of a run carries its run id
 * (MDC {@code runId}).
 */
public class Runbook {

    private static final Logger LOG = LoggerFactory.getLogger(Runbook.class);
    public static final String MDC_KEY = "runId";
    public static final List<String> PARALLEL_STEPS = List.of("dns", "trunk");
    public static final List<String> PLAN = List.of("dns", "trunk", "agents", "notify");
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    // exchange properties the routes read
    public static final String P_RUN_ID = "runId";
    public static final String P_EPOCH = "runEpoch";
    public static final String P_STEP = "stepName";
    public static final String P_STEP_OUTCOME = "stepOutcome";
    public static final String P_ATTEMPT = "stepAttempt";
    public static final String P_RETRY_DELAY = "retryDelayMs";
    public static final String P_FENCED = "runFenced";

    private final FailoverConfig config;
    private final ControlPlane control;
    private final RunJournal journal;
    private final HealthBoard board;
    private final Clock clock;
    private final Backoff backoff;
    private final SecureRandom random = new SecureRandom();
    private final Instant instanceStartedAt;
    private volatile Instant primaryUpSince;

    public Runbook(FailoverConfig config, ControlPlane control, RunJournal journal, HealthBoard board, Clock clock) {
        this.config = config;
        this.control = control;
        this.journal = journal;
        this.board = board;
        this.clock = clock;
        this.backoff = new Backoff(config.runbook().backoffInitialMs(), config.runbook().backoffMaxMs());
        this.instanceStartedAt = clock.instant();
    }

    // ---------------------------------------------------------------- triggers

    /** POST /failover: the body bound as it came (a method-string parameter would lose quotes around it). */
    public RunRequest parseFailover(@Body byte[] body) {
        return RunRequest.parse("failover", body);
    }

    /** POST /failback, as {@link #parseFailover}. */
    public RunRequest parseFailback(@Body byte[] body) {
        return RunRequest.parse("failback", body);
    }

    /** POST /failover, /failback (not a dry run): starts the run or refuses with 409 and the reason. */
    public Map<String, Object> startManual(RunRequest request) {
        Platform target = request.kind().target(config.primary(), config.secondary());
        if (board.platformStatus(target) == HealthStatus.Down && !request.force()) {
            throw new ApiException(409, "the target platform " + target + " is Down; send force=true to run anyway", null);
        }
        Claim claim = claim(request.kind(), "manual", request.reason(), request.force(), false);
        if (claim.retryAt() != null) {
            long seconds = Math.max(1, (Duration.between(clock.instant(), claim.retryAt()).toMillis() + 999) / 1000);
            throw ApiException.tooManyRequests(request.kind().id() + " refused: " + claim.reason(), seconds);
        }
        if (!claim.started()) {
            throw new ApiException(409, request.kind().id() + " refused: " + claim.reason(), null);
        }
        return claim.ticket();
    }

    /**
     * {@code direct:platform-down}: the primary Down and the secondary not Down starts a failover; both Down raises an
     * alert and changes nothing.
     *
     * @return {"action": "run"|"alert"|"none", "runId", "runEpoch", "message"}
     */
    public Map<String, Object> onPlatformDown(String platformId, String reason) {
        Platform platform = Platform.parse("platform", platformId);
        if (platform != config.primary()) {
            LOG.info("Secondary {} reported Down ({}); the runbook has nothing to do", platform, reason);
            return action("none", "secondary down");
        }
        primaryUpSince = null;
        ControlPlaneState cp = control.read().value();
        if (cp.state() != ControlPlaneState.Phase.NORMAL) {
            LOG.info("Primary {} reported Down ({}) while the state is {}: no new failover", platform, reason, cp.state());
            return action("none", "state " + cp.state());
        }
        HealthStatus secondary = board.platformStatus(config.secondary());
        if (secondary == HealthStatus.Down) {
            String message = "Both platforms are Down (" + platform + ": " + reason + "; " + config.secondary()
                    + ": Down): no failover, calls cannot be moved anywhere; operators must act";
            LOG.error(message);
            return action("alert", message);
        }
        Claim claim = claim(RunKind.FAILOVER, "automatic", "primary " + platform + " Down: " + reason, false, true);
        if (!claim.started()) {
            return action("none", claim.reason());
        }
        Map<String, Object> m = new LinkedHashMap<>(claim.ticket());
        m.put("action", "run");
        return m;
    }

    /** {@code direct:platform-recovered}: only notes the time; failback is manual unless failback.auto. */
    public void onPlatformRecovered(String platformId) {
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
        if (!config.runbook().failbackAuto()) {
            return action("none", "failback.auto=false");
        }
        if (board.platformStatus(config.primary()) != HealthStatus.Up) {
            primaryUpSince = null;
            return action("none", "primary not Up");
        }
        Instant now = clock.instant();
        if (primaryUpSince == null) {
            primaryUpSince = now;
        }
        if (Duration.between(primaryUpSince, now).toMillis() < config.runbook().failbackStableMs()) {
            return action("none", "primary not stable yet");
        }
        Versioned<ControlPlaneState> cp = control.read();
        if (cp.value().state() != ControlPlaneState.Phase.FAILED_OVER) {
            return action("none", "state " + cp.value().state());
        }
        Claim claim = claim(RunKind.FAILBACK, "automatic", "primary " + config.primary() + " Up for "
                + Duration.between(primaryUpSince, now).toMillis() + " ms (failback.auto)", false, true);
        if (!claim.started()) {
            return action("none", claim.reason());
        }
        primaryUpSince = null;
        Map<String, Object> m = new LinkedHashMap<>(claim.ticket());
        m.put("action", "run");
        return m;
    }

    /** Start-up: a run left FAILING_OVER / FAILING_BACK and still running is taken over (new epoch) and resumed. */
    public Map<String, Object> resumeAbandoned() {
        Versioned<ControlPlaneState> v = control.read();
        ControlPlaneState cp = v.value();
        if (!cp.inTransition() || cp.runId() == null) {
            return action("none", "state " + cp.state());
        }
        Instant claimedAt = Times.parse(cp.updatedAt());
        if (claimedAt != null && !claimedAt.isBefore(instanceStartedAt)) {
            // claimed since this instance started: a live run (ours or a peer's), not one left by a crash
            return action("none", "run " + cp.runId() + " is live");
        }
        Optional<Versioned<RunRecord>> run = journal.run(cp.runId());
        try {
            MDC.put(MDC_KEY, cp.runId());
            if (run.isPresent() && !RunRecord.RUNNING.equals(run.get().value().outcome())) {
                LOG.warn("State is {} after run {} ended {}: waiting for an operator (POST /failover or /failback)",
                        cp.state(), cp.runId(), run.get().value().outcome());
                return action("none", "run ended " + run.get().value().outcome());
            }
            long epoch = cp.epoch() + 1;
            ControlPlaneState next = new ControlPlaneState(cp.state(), cp.activePlatform(), cp.runId(), cp.runKind(), epoch,
                    Times.iso(clock.instant()), cp.lastRunFinishedAt(), cp.lastForcedAt());
            if (!control.compareAndSet(next, v.version())) {
                LOG.info("Lost the race to resume run {}: another instance took it over; doing nothing", cp.runId());
                return action("none", "lost the race");
            }
            if (run.isEmpty()) {
                RunKind kind = cp.runKind() == null ? (cp.state() == ControlPlaneState.Phase.FAILING_OVER ? RunKind.FAILOVER
                        : RunKind.FAILBACK) : RunKind.parse(cp.runKind());
                journal.create(header(cp.runId(), kind, "resumed", "header lost in a crash; resumed from the control state", false, false));
            }
            LOG.info("Resuming run {} from its journal (epoch {}); completed steps are not repeated", cp.runId(), epoch);
            Map<String, Object> m = ticket(cp.runId(), epoch);
            m.put("action", "run");
            return m;
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    // ---------------------------------------------------------------- claiming a run

    /** {@code retryAt}: refused only by the interval between forced runs, which passes at that time. */
    record Claim(boolean started, String reason, Map<String, Object> ticket, Instant retryAt) {
        static Claim refused(String reason, Instant retryAt) {
            return new Claim(false, reason, null, retryAt);
        }
    }

    Claim claim(RunKind kind, String trigger, String reason, boolean force, boolean automatic) {
        Versioned<ControlPlaneState> v = control.read();
        ControlPlaneState cp = v.value();
        String currentOutcome = null;
        if (cp.runId() != null) {
            currentOutcome = journal.run(cp.runId()).map(r -> r.value().outcome())
                    .orElse(cp.inTransition() ? RunRecord.RUNNING : null);
        }
        Instant now = clock.instant();
        RunAdmission.Verdict verdict = RunAdmission.decide(cp, currentOutcome, kind, automatic, force, now,
                config.runbook().lockoutMs(), config.runbook().forceMinIntervalMs());
        if (!verdict.allowed()) {
            if (verdict.retryAt() != null) {
                LOG.warn("{} {} with force=true refused: {}", trigger, kind.id(), verdict.reason());
            } else {
                LOG.info("{} {} not started: {}", trigger, kind.id(), verdict.reason());
            }
            return Claim.refused(verdict.reason(), verdict.retryAt());
        }
        String runId = newRunId(now);
        long epoch = cp.epoch() + 1;
        ControlPlaneState next = new ControlPlaneState(kind.during(), cp.activePlatform(), runId, kind.id(), epoch,
                Times.iso(now), cp.lastRunFinishedAt(), force ? Times.iso(now) : cp.lastForcedAt());
        if (!control.compareAndSet(next, v.version())) {
            LOG.info("Lost the race to start a {} ({}): another run claimed the control plane first; doing nothing", kind.id(), trigger);
            return Claim.refused("another run claimed the control plane first", null);
        }
        journal.create(header(runId, kind, trigger, reason, force, verdict.lockoutOverridden()));
        try {
            MDC.put(MDC_KEY, runId);
            LOG.info("Run {} claimed: {} {} → {} ({}; reason: {}){}", runId, trigger, kind.id(), kind.target(config.primary(),
                    config.secondary()), "epoch " + epoch, LogValues.clip(reason), verdict.lockoutOverridden() ? "; lockout overridden by force=true" : "");
        } finally {
            MDC.remove(MDC_KEY);
        }
        return new Claim(true, null, ticket(runId, epoch), null);
    }

    private RunRecord header(String runId, RunKind kind, String trigger, String reason, boolean force, boolean lockoutOverridden) {
        Platform target = kind.target(config.primary(), config.secondary());
        Platform from = target == config.primary() ? config.secondary() : config.primary();
        return new RunRecord(runId, kind.id(), trigger, reason, force, lockoutOverridden, from.id(), target.id(),
                RunRecord.RUNNING, Times.iso(clock.instant()), null, null, null, PLAN);
    }

    private Map<String, Object> ticket(String runId, long epoch) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", runId);
        m.put("runEpoch", epoch);
        return m;
    }

    private static Map<String, Object> action(String action, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action", action);
        m.put("message", message);
        return m;
    }

    private String newRunId(Instant now) {
        byte[] b = new byte[3];
        random.nextBytes(b);
        return "run-" + RUN_ID_TIME.format(now) + "-" + HexFormat.of().formatHex(b);
    }

    // ---------------------------------------------------------------- executing a run

    /** Body/headers: runId, runEpoch. Sets the properties the step routes read. */
    public void beginRun(Exchange exchange) {
        String runId = exchange.getMessage().getHeader(P_RUN_ID, String.class);
        long epoch = exchange.getMessage().getHeader(P_EPOCH, Long.class);
        MDC.put(MDC_KEY, runId);
        RunRecord run = journal.run(runId).orElseThrow(() -> new IllegalStateException("run " + runId + " has no journal header"))
                .value();
        RunKind kind = RunKind.parse(run.kind());
        exchange.setProperty(P_RUN_ID, runId);
        exchange.setProperty(P_EPOCH, epoch);
        setTargetProperties(exchange, kind);
        exchange.setProperty("parallelSteps", PARALLEL_STEPS);
        LOG.info("Run {} ({} {} → {}) executing: dns ∥ trunk, then agents, then notify", runId, run.trigger(), kind.id(), run.toPlatform());
    }

    private void setTargetProperties(Exchange exchange, RunKind kind) {
        Platform target = kind.target(config.primary(), config.secondary());
        exchange.setProperty("runKind", kind.id());
        exchange.setProperty("targetPlatform", target.id());
        exchange.setProperty("primaryPlatform", config.primary().id());
        // failover switches the primary's trunk off; failback switches it on again
        exchange.setProperty("trunkEnabled", kind == RunKind.FAILBACK);
        exchange.setProperty("trunkAction", kind == RunKind.FAILBACK ? "enable" : "disable");
    }

    /** Body: the step name. Skips the step when the journal already holds it completed (a resumed run). */
    public void beginStep(Exchange exchange) {
        String runId = exchange.getProperty(P_RUN_ID, String.class);
        String step = exchange.getMessage().getBody(String.class);
        MDC.put(MDC_KEY, runId);
        exchange.setProperty(P_STEP, step);
        exchange.setProperty(P_ATTEMPT, 0);
        exchange.removeProperty(P_STEP_OUTCOME);
        try {
            checkFence(exchange);
        } catch (FencedOutException e) {
            LOG.warn("Step {} not started: {}; another instance owns the run now", step, e.getMessage());
            exchange.setProperty(P_FENCED, true);
            exchange.setProperty(P_STEP_OUTCOME, "fenced");
            return;
        }
        Optional<Versioned<StepRecord>> existing = journal.step(runId, step);
        if (existing.isPresent() && existing.get().value().completed()) {
            LOG.info("Step {} already {} in the journal: not repeated", step, existing.get().value().outcome());
            exchange.setProperty(P_STEP_OUTCOME, existing.get().value().outcome());
            return;
        }
        String startedAt = existing.map(e -> e.value().startedAt()).orElse(Times.iso(clock.instant()));
        int attempts = existing.map(e -> e.value().attempts()).orElse(0);
        writeStep(runId, new StepRecord(step, StepRecord.RUNNING, startedAt, null,
                existing.isPresent() ? "resumed after an interruption" : null, attempts));
        exchange.setProperty(P_ATTEMPT, attempts);
        LOG.info("Step {} starts", step);
    }

    /** Before every attempt: the run must still be ours (same run id and epoch in the control plane). */
    public void checkFence(Exchange exchange) {
        String runId = exchange.getProperty(P_RUN_ID, String.class);
        long epoch = exchange.getProperty(P_EPOCH, Long.class);
        MDC.put(MDC_KEY, runId);
        ControlPlaneState cp = control.read().value();
        if (!runId.equals(cp.runId()) || cp.epoch() != epoch) {
            throw new FencedOutException("run " + runId + " epoch " + epoch + " is no longer current (control plane: run "
                    + cp.runId() + " epoch " + cp.epoch() + ")");
        }
    }

    /** Body: the attempt's StepResult (done or skipped). */
    public void attemptSucceeded(Exchange exchange) {
        String runId = exchange.getProperty(P_RUN_ID, String.class);
        String step = exchange.getProperty(P_STEP, String.class);
        MDC.put(MDC_KEY, runId);
        StepResult result = exchange.getMessage().getBody(StepResult.class);
        int attempt = exchange.getProperty(P_ATTEMPT, 0, Integer.class) + 1;
        StepRecord before = journal.step(runId, step).map(Versioned::value).orElse(null);
        writeStep(runId, new StepRecord(step, result.outcome(), before == null ? Times.iso(clock.instant()) : before.startedAt(),
                Times.iso(clock.instant()), result.detail(), attempt));
        exchange.setProperty(P_STEP_OUTCOME, result.outcome());
        LOG.info("Step {} {}: {}", step, result.outcome(), result.detail());
    }

    /** doCatch of an attempt: retries with backoff, or records the step failed after the last attempt. */
    public void attemptFailed(Exchange exchange) {
        String runId = exchange.getProperty(P_RUN_ID, String.class);
        String step = exchange.getProperty(P_STEP, String.class);
        MDC.put(MDC_KEY, runId);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        FencedOutException fenced = find(cause, FencedOutException.class);
        if (fenced != null) {
            LOG.warn("Step {} stopped: {}; another instance owns the run now", step, fenced.getMessage());
            exchange.setProperty(P_FENCED, true);
            exchange.setProperty(P_STEP_OUTCOME, "fenced");
            exchange.setProperty(P_RETRY_DELAY, 0L);
            return;
        }
        StepFailedException stepFailed = find(cause, StepFailedException.class);
        boolean retryable = stepFailed == null || stepFailed.retryable();
        String message = describe(stepFailed != null ? stepFailed : cause);
        int attempt = exchange.getProperty(P_ATTEMPT, 0, Integer.class) + 1;
        exchange.setProperty(P_ATTEMPT, attempt);
        int max = config.runbook().stepAttempts();
        StepRecord before = journal.step(runId, step).map(Versioned::value).orElse(null);
        String startedAt = before == null ? Times.iso(clock.instant()) : before.startedAt();
        if (!retryable || attempt >= max) {
            String detail = (retryable ? "failed after " + attempt + " attempts: " : "not retried: ") + message;
            writeStep(runId, new StepRecord(step, StepRecord.FAILED, startedAt, Times.iso(clock.instant()), detail, attempt));
            exchange.setProperty(P_STEP_OUTCOME, StepRecord.FAILED);
            exchange.setProperty(P_RETRY_DELAY, 0L);
            LOG.error("Step {} failed: {}", step, detail);
            return;
        }
        long delay = backoff.delayAfter(attempt);
        writeStep(runId, new StepRecord(step, StepRecord.RUNNING, startedAt, null,
                "attempt " + attempt + "/" + max + " failed: " + message + "; retrying in " + delay + " ms", attempt));
        exchange.setProperty(P_RETRY_DELAY, delay);
        LOG.warn("Step {} attempt {}/{} failed: {}; retrying in {} ms", step, attempt, max, message, delay);
    }

    /** End of a step route: the pooled thread forgets the run id. */
    public void endStep() {
        MDC.remove(MDC_KEY);
    }

    /** After dns ∥ trunk: true when either failed (agents are then not moved; notify still reports). */
    public boolean cutoverFailed(Exchange exchange) {
        String runId = exchange.getProperty(P_RUN_ID, String.class);
        MDC.put(MDC_KEY, runId);
        for (String s : PARALLEL_STEPS) {
            StepRecord r = journal.step(runId, s).map(Versioned::value).orElse(null);
            if (r == null || !r.completed()) {
                return true;
            }
        }
        return false;
    }

    public boolean fenced(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.getProperty(P_FENCED, Boolean.class))) {
            return true;
        }
        try {
            checkFence(exchange);
            return false;
        } catch (FencedOutException e) {
            LOG.warn("Run stops here: {}", e.getMessage());
            return true;
        }
    }

    /** Records the run's outcome and moves the control plane when the cutover (dns and trunk) happened. */
    public Map<String, Object> finishRun(Exchange exchange) {
        String runId = exchange.getProperty(P_RUN_ID, String.class);
        long epoch = exchange.getProperty(P_EPOCH, Long.class);
        MDC.put(MDC_KEY, runId);
        try {
            Versioned<RunRecord> run = journal.run(runId).orElseThrow();
            Outcome o = outcome(runId);
            Instant now = clock.instant();
            Versioned<ControlPlaneState> v = control.read();
            ControlPlaneState cp = v.value();
            if (!runId.equals(cp.runId()) || cp.epoch() != epoch) {
                LOG.warn("Run {} not finished by this instance: epoch {} is no longer current", runId, epoch);
                return Map.of("runId", runId, "outcome", "fenced");
            }
            RunKind kind = RunKind.parse(run.value().kind());
            ControlPlaneState next = o.cutoverDone()
                    ? new ControlPlaneState(kind.after(), run.value().toPlatform(), runId, kind.id(), epoch, Times.iso(now), Times.iso(now),
                            cp.lastForcedAt())
                    : new ControlPlaneState(cp.state(), cp.activePlatform(), runId, kind.id(), epoch, Times.iso(now), Times.iso(now),
                            cp.lastForcedAt());
            if (!control.compareAndSet(next, v.version())) {
                LOG.warn("Run {} lost the control plane while finishing; another instance owns it", runId);
                return Map.of("runId", runId, "outcome", "fenced");
            }
            RunRecord finished = run.value().finished(o.outcome(), Times.iso(now), o.failedStep(), o.detail());
            if (!journal.update(finished, run.version())) {
                // only this owner writes the header after the claim; re-read once and write again
                Versioned<RunRecord> again = journal.run(runId).orElseThrow();
                journal.update(finished, again.version());
            }
            if (RunRecord.DONE.equals(o.outcome())) {
                LOG.info("Run {} done: state {}, calls on {}", runId, next.state(), next.activePlatform());
            } else {
                LOG.error("Run {} FAILED at step {}: {}; state {}, calls on {}", runId, o.failedStep(), o.detail(),
                        next.state(), next.activePlatform());
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runId", runId);
            m.put("outcome", o.outcome());
            m.put("state", next.state().name());
            return m;
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    record Outcome(String outcome, boolean cutoverDone, String failedStep, String detail) {
    }

    Outcome outcome(String runId) {
        Map<String, StepRecord> steps = new LinkedHashMap<>();
        for (StepRecord s : journal.steps(runId)) {
            steps.put(s.name(), s);
        }
        boolean cutover = PARALLEL_STEPS.stream().allMatch(n -> steps.containsKey(n) && steps.get(n).completed());
        for (String name : PLAN) {
            StepRecord s = steps.get(name);
            if (s != null && StepRecord.FAILED.equals(s.outcome())) {
                return new Outcome(RunRecord.FAILED, cutover, name, name + ": " + s.detail());
            }
        }
        if (!cutover) {
            return new Outcome(RunRecord.FAILED, false, "dns", "cutover steps did not complete");
        }
        return new Outcome(RunRecord.DONE, true, null, null);
    }

    /** The SNS message: the run and its steps so far, with the outcome it is heading for. */
    public String summary(String runId) {
        Map<String, Object> m = runDetail(runId);
        m.put("expectedOutcome", outcome(runId).outcome());
        return Json.write(m);
    }

    // ---------------------------------------------------------------- dry run

    /** Body: the RunRequest. Sets the same target properties as a real run. */
    public void prepareDryRun(Exchange exchange) {
        RunRequest request = exchange.getMessage().getBody(RunRequest.class);
        exchange.setProperty("runRequest", request);
        setTargetProperties(exchange, request.kind());
    }

    /**
     * Properties plan.dns, plan.trunk (StepState) and plan.agents (the dry-run answer of direct:sync-agents): the
     * plan, and whether the run would start now. Changes nothing.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> dryRunPlan(Exchange exchange) {
        RunRequest request = exchange.getProperty("runRequest", RunRequest.class);
        Versioned<ControlPlaneState> v = control.read();
        ControlPlaneState cp = v.value();
        String currentOutcome = cp.runId() == null ? null : journal.run(cp.runId()).map(r -> r.value().outcome())
                .orElse(cp.inTransition() ? RunRecord.RUNNING : null);
        RunAdmission.Verdict verdict = RunAdmission.decide(cp, currentOutcome, request.kind(), false, request.force(),
                clock.instant(), config.runbook().lockoutMs(), config.runbook().forceMinIntervalMs());
        Platform target = request.kind().target(config.primary(), config.secondary());
        List<Map<String, Object>> steps = new ArrayList<>();
        steps.add(planStep(exchange.getProperty("plan.dns", StepState.class)));
        steps.add(planStep(exchange.getProperty("plan.trunk", StepState.class)));
        steps.add(agentsPlanStep((Map<String, Object>) exchange.getProperty("plan.agents", Map.class), target));
        String arn = config.notifications().snsTopicArn();
        steps.add(planStep(arn == null
                ? new StepState("notify", "n/a", "n/a", true, "notify.sns.topic-arn not set")
                : new StepState("notify", "-", "run summary published to " + arn, false, null)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dryRun", true);
        m.put("kind", request.kind().id());
        m.put("state", cp.state().name());
        m.put("activePlatform", cp.activePlatform());
        m.put("toPlatform", target.id());
        m.put("wouldStart", verdict.allowed());
        m.put("refusedBecause", verdict.allowed() ? null : verdict.reason());
        m.put("steps", steps);
        return m;
    }

    /**
     * The agents step of a dry run from its sync answer: what would change, with the counts, the agents (failures
     * first, capped as in a real run) and the queues queues.yaml does not map. A platform without API settings, or
     * nothing to change, is a skip; a failed read is shown with its reason.
     */
    private static Map<String, Object> agentsPlanStep(Map<String, Object> sync, Platform target) {
        String wanted = "agents' presence and queues on " + target.id();
        if (sync == null) {
            return planStep(new StepState("agents", "not read", wanted, false, "not read"));
        }
        String outcome = String.valueOf(sync.get("outcome"));
        String detail = String.valueOf(sync.get("detail"));
        boolean planned = sync.containsKey("counts");
        String note = "failed".equals(outcome) || !planned ? detail : null;
        Map<String, Object> m = planStep(new StepState("agents", planned ? detail : "not read", wanted, "skipped".equals(outcome), note));
        if (planned) {
            m.put("counts", sync.get("counts"));
            m.put("agents", sync.get("agents"));
            m.put("agentsTruncated", sync.get("agentsTruncated"));
            m.put("unmappedQueues", sync.get("unmappedQueues"));
        }
        return m;
    }

    private static Map<String, Object> planStep(StepState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.step());
        m.put("current", s.current());
        m.put("target", s.target());
        m.put("action", s.holds() ? "skip" : "change");
        if (s.note() != null) {
            m.put("note", s.note());
        }
        return m;
    }

    // ---------------------------------------------------------------- journal views

    public Map<String, Object> listRuns(@Header("limit") String limitParam) {
        int limit = 50;
        if (limitParam != null && !limitParam.isBlank()) {
            try {
                limit = Integer.parseInt(limitParam.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("limit", "not a whole number");
            }
            if (limit < 1 || limit > 500) {
                throw ApiException.badRequest("limit", "must be between 1 and 500");
            }
        }
        List<Object> runs = new ArrayList<>(journal.recent(limit));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs);
        return m;
    }

    public Map<String, Object> runDetail(@Header("runId") String runId) {
        PathParameter.id("runId", runId);
        RunRecord run = journal.run(runId).map(Versioned::value).orElseThrow(() -> ApiException.notFound("run " + runId));
        @SuppressWarnings("unchecked")
        Map<String, Object> m = Json.MAPPER.convertValue(run, LinkedHashMap.class);
        m.put("steps", journal.steps(runId));
        return m;
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "unknown error";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof StepFailedException)) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return (root instanceof StepFailedException ? "" : root.getClass().getSimpleName() + ": ") + (msg == null ? "" : msg);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }

    private void writeStep(String runId, StepRecord step) {
        for (int i = 0; i < 3; i++) {
            long version = journal.step(runId, step.name()).map(Versioned::version).orElse(0L);
            if (journal.putStep(runId, step, version)) {
                return;
            }
        }
        throw new IllegalStateException("step " + step.name() + " of run " + runId + " keeps changing under this writer");
    }
}
