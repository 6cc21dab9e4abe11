package dev.ccaasfailover.runbook;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.observe.LogValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ownership of the control plane, and the only writer of it. A run is owned by whoever holds its run id and fencing
 * epoch in the control-plane item; every write is conditional on the version read, so of two instances (or two
 * triggers) exactly one wins, and a run whose epoch is no longer current is fenced out at its next step. Ownership is
 * gained in {@link #claim} and {@link #takeOver}, checked in {@link #checkFence} and given up in {@link #release}:
 * run leases and leader election (issue 17) belong in these four.
 */
public class RunClaim {

    private static final Logger LOG = LoggerFactory.getLogger(RunClaim.class);
    private static final DateTimeFormatter RUN_ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    /** A run owned by this instance: its id and the fencing epoch its writes must still find current. */
    public record Ticket(String runId, long epoch) {
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("runId", runId);
            m.put("runEpoch", epoch);
            return m;
        }
    }

    /** {@code retryAt}: refused only by the interval between forced runs, which passes at that time. */
    public record Claim(Ticket ticket, String reason, Instant retryAt) {
        public boolean started() {
            return ticket != null;
        }
    }

    private final FailoverConfig config;
    private final ControlPlane control;
    private final RunJournal journal;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public RunClaim(FailoverConfig config, ControlPlane control, RunJournal journal, Clock clock) {
        this.config = config;
        this.control = control;
        this.journal = journal;
        this.clock = clock;
    }

    public Versioned<ControlPlaneState> read() {
        return control.read();
    }

    /** Whether a run may start now (RunAdmission on the stored state), without claiming anything: the dry run's answer. */
    public RunAdmission.Verdict admission(RunKind kind, boolean force) {
        return admission(control.read().value(), kind, false, force);
    }

    private RunAdmission.Verdict admission(ControlPlaneState cp, RunKind kind, boolean automatic, boolean force) {
        return RunAdmission.decide(cp, journal.outcomeOf(cp), kind, automatic, force, clock.instant(),
                config.runbook().lockoutMs(), config.runbook().forceMinIntervalMs());
    }

    /**
     * Admission on the current state, then the conditional write of {@code kind.during()} with a new run id and the
     * next epoch, then the run's journal header. Every refusal is logged with its reason.
     */
    public Claim claim(RunKind kind, String trigger, String reason, boolean force, boolean automatic) {
        Versioned<ControlPlaneState> v = control.read();
        ControlPlaneState cp = v.value();
        RunAdmission.Verdict verdict = admission(cp, kind, automatic, force);
        if (!verdict.allowed()) {
            if (verdict.retryAt() != null) {
                LOG.warn("{} {} with force=true refused: {}", trigger, kind.id(), verdict.reason());
            } else {
                LOG.info("{} {} not started: {}", trigger, kind.id(), verdict.reason());
            }
            return new Claim(null, verdict.reason(), verdict.retryAt());
        }
        Instant now = clock.instant();
        Ticket ticket = new Ticket(newRunId(now), cp.epoch() + 1);
        ControlPlaneState next = new ControlPlaneState(kind.during(), cp.activePlatform(), ticket.runId(), kind.id(), ticket.epoch(),
                Times.iso(now), cp.lastRunFinishedAt(), force ? Times.iso(now) : cp.lastForcedAt());
        if (!control.compareAndSet(next, v.version())) {
            LOG.info("Lost the race to start a {} ({}): another run claimed the control plane first; doing nothing", kind.id(), trigger);
            return new Claim(null, "another run claimed the control plane first", null);
        }
        journal.create(header(ticket.runId(), kind, trigger, reason, force, verdict.lockoutOverridden()));
        LOG.info("Run {} claimed: {} {} → {} (epoch {}; reason: {}){}", ticket.runId(), trigger, kind.id(),
                kind.target(config.primary(), config.secondary()), ticket.epoch(), LogValues.clip(reason),
                verdict.lockoutOverridden() ? "; lockout overridden by force=true" : "");
        return new Claim(ticket, null, null);
    }

    /**
     * Start-up: the run named in {@code seen} (left in transition by a stopped instance) is taken over with the next
     * epoch, so the old owner, should it still run, is fenced out. Empty when another instance took it first.
     */
    public Optional<Ticket> takeOver(Versioned<ControlPlaneState> seen, RunKind kind) {
        ControlPlaneState cp = seen.value();
        Ticket ticket = new Ticket(cp.runId(), cp.epoch() + 1);
        ControlPlaneState next = new ControlPlaneState(cp.state(), cp.activePlatform(), cp.runId(), cp.runKind(), ticket.epoch(),
                Times.iso(clock.instant()), cp.lastRunFinishedAt(), cp.lastForcedAt());
        if (!control.compareAndSet(next, seen.version())) {
            LOG.info("Lost the race to resume run {}: another instance took it over; doing nothing", cp.runId());
            return Optional.empty();
        }
        if (journal.run(cp.runId()).isEmpty()) {
            journal.create(header(cp.runId(), kind, "resumed", "header lost in a crash; resumed from the control state", false, false));
        }
        LOG.info("Resuming run {} from its journal (epoch {}); completed steps are not repeated", cp.runId(), ticket.epoch());
        return Optional.of(ticket);
    }

    /** Before every step attempt: the run must still be ours (same run id and epoch in the control plane). */
    public void checkFence(String runId, long epoch) {
        ControlPlaneState cp = control.read().value();
        if (!runId.equals(cp.runId()) || cp.epoch() != epoch) {
            throw new FencedOutException("run " + runId + " epoch " + epoch + " is no longer current (control plane: run "
                    + cp.runId() + " epoch " + cp.epoch() + ")");
        }
    }

    /**
     * The run ends: the control plane moves to {@code phase} with calls on {@code activePlatform} (null: unchanged),
     * only if the run still owns it. Empty when it does not (fenced: another instance owns the control plane).
     */
    public Optional<ControlPlaneState> release(Ticket ticket, RunKind kind, ControlPlaneState.Phase phase, String activePlatform) {
        Versioned<ControlPlaneState> v = control.read();
        ControlPlaneState cp = v.value();
        if (!ticket.runId().equals(cp.runId()) || cp.epoch() != ticket.epoch()) {
            LOG.warn("Run {} not finished by this instance: epoch {} is no longer current", ticket.runId(), ticket.epoch());
            return Optional.empty();
        }
        String now = Times.iso(clock.instant());
        ControlPlaneState next = new ControlPlaneState(phase == null ? cp.state() : phase,
                activePlatform == null ? cp.activePlatform() : activePlatform, ticket.runId(), kind.id(), ticket.epoch(), now, now,
                cp.lastForcedAt());
        if (!control.compareAndSet(next, v.version())) {
            LOG.warn("Run {} lost the control plane while finishing; another instance owns it", ticket.runId());
            return Optional.empty();
        }
        return Optional.of(next);
    }

    private RunRecord header(String runId, RunKind kind, String trigger, String reason, boolean force, boolean lockoutOverridden) {
        Platform target = kind.target(config.primary(), config.secondary());
        Platform from = target == config.primary() ? config.secondary() : config.primary();
        return new RunRecord(runId, kind.id(), trigger, reason, force, lockoutOverridden, from.id(), target.id(),
                RunRecord.RUNNING, Times.iso(clock.instant()), null, null, null, Runbook.PLAN);
    }

    private String newRunId(Instant now) {
        byte[] b = new byte[3];
        random.nextBytes(b);
        return "run-" + RUN_ID_TIME.format(now) + "-" + HexFormat.of().formatHex(b);
    }
}
