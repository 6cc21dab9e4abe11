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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ownership of the control plane, and the only writer of it. A run is owned by the instance that holds its run id and
 * fencing epoch in the control-plane item and keeps renewing its lease ({@code runOwner}, {@code leaseUntil},
 * failover.runbook.lease-ms); every write is conditional on the version read, so of two instances (or two triggers)
 * exactly one wins. Ownership is gained in {@link #claim} and {@link #takeOver} (only of a run whose lease has
 * expired), renewed in {@link #renew} (before every step attempt, and every third of the lease while the run executes
 * here: {@link #renewHeld}), checked by the same renewal, and given up in {@link #release}. A run whose epoch is no
 * longer current is fenced out at its next step. Lease times are the owner's wall clock: instances sharing a store
 * need clocks within a small fraction of the lease (NTP).
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

    /** Conditional writes of one owner's own state tried this often when they keep losing to its own renewals. */
    private static final int OWN_WRITE_TRIES = 5;

    private final FailoverConfig config;
    private final ControlPlane control;
    private final RunJournal journal;
    private final Clock clock;
    private final String owner;
    private final long leaseMs;
    private final SecureRandom random = new SecureRandom();
    /** Runs executing in this instance (between beginRun and the run exchange's end): their leases are renewed. */
    private final Set<Ticket> held = ConcurrentHashMap.newKeySet();

    /**
     * @param owner   this instance's name in the control plane (failover.health.instance-id)
     * @param leaseMs how long a run stays owned without a renewal (failover.runbook.lease-ms)
     */
    public RunClaim(FailoverConfig config, ControlPlane control, RunJournal journal, Clock clock, String owner, long leaseMs) {
        this.config = config;
        this.control = control;
        this.journal = journal;
        this.clock = clock;
        this.owner = owner;
        this.leaseMs = leaseMs;
    }

    public String owner() {
        return owner;
    }

    public long leaseMs() {
        return leaseMs;
    }

    /**
     * When the lease of the run named in {@code cp} ends: its {@code leaseUntil}, or for a record written before leases
     * its claim time plus one lease (its owner never renews); null when there is nothing to go by (expired).
     */
    public Instant leaseExpiry(ControlPlaneState cp) {
        Instant until = Times.parse(cp.leaseUntil());
        if (until != null) {
            return until;
        }
        Instant claimed = Times.parse(cp.updatedAt());
        return claimed == null ? null : claimed.plusMillis(leaseMs);
    }

    /** Whether the run named in {@code cp} is still owned: its lease has not expired on this instance's clock. */
    public boolean leaseLive(ControlPlaneState cp) {
        Instant until = leaseExpiry(cp);
        return until != null && clock.instant().isBefore(until);
    }

    /** Whether this instance is executing the run (its renewals keep the lease). */
    public boolean holds(String runId) {
        return held.stream().anyMatch(t -> t.runId().equals(runId));
    }

    /** The run starts executing here: its lease is renewed every third of the lease until {@link #drop}. */
    void hold(Ticket ticket) {
        held.add(ticket);
    }

    /** The run's exchange ended here (finished, fenced or failed): no more renewals. */
    void drop(Ticket ticket) {
        held.remove(ticket);
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
                Times.iso(now), cp.lastRunFinishedAt(), force ? Times.iso(now) : cp.lastForcedAt(), owner, Times.iso(now.plusMillis(leaseMs)));
        if (!control.compareAndSet(next, v.version())) {
            LOG.info("Lost the race to start a {} ({}): another run claimed the control plane first; doing nothing", kind.id(), trigger);
            return new Claim(null, "another run claimed the control plane first", null);
        }
        journal.create(header(ticket.runId(), kind, trigger, reason, force, verdict.lockoutOverridden()));
        LOG.info("Run {} claimed by {}: {} {} → {} (epoch {}, lease until {}; reason: {}){}", ticket.runId(), owner, trigger, kind.id(),
                kind.target(config.primary(), config.secondary()), ticket.epoch(), next.leaseUntil(), LogValues.clip(reason),
                verdict.lockoutOverridden() ? "; lockout overridden by force=true" : "");
        return new Claim(ticket, null, null);
    }

    /**
     * The run named in {@code seen}, whose lease has expired (its owner stopped renewing: dead, stopped or cut off), is
     * taken over with the next epoch and a lease of this instance, so the former owner, should it still run, is fenced
     * out at its next step. Empty when the lease is live on this instance's clock, or another writer won the race.
     */
    public Optional<Ticket> takeOver(Versioned<ControlPlaneState> seen, RunKind kind) {
        ControlPlaneState cp = seen.value();
        if (leaseLive(cp)) {
            LOG.info("Not taking over run {}: owner {} holds its lease until {}", cp.runId(), cp.runOwner(), Times.iso(leaseExpiry(cp)));
            return Optional.empty();
        }
        Instant now = clock.instant();
        Ticket ticket = new Ticket(cp.runId(), cp.epoch() + 1);
        ControlPlaneState next = new ControlPlaneState(cp.state(), cp.activePlatform(), cp.runId(), cp.runKind(), ticket.epoch(),
                Times.iso(now), cp.lastRunFinishedAt(), cp.lastForcedAt(), owner, Times.iso(now.plusMillis(leaseMs)));
        if (!control.compareAndSet(next, seen.version())) {
            LOG.info("Lost the race to take over run {}: the control plane changed (a renewal, or another instance took it); doing nothing",
                    cp.runId());
            return Optional.empty();
        }
        if (journal.run(cp.runId()).isEmpty()) {
            journal.create(header(cp.runId(), kind, "resumed", "header lost in a crash; resumed from the control state", false, false));
        }
        Instant expired = leaseExpiry(cp);
        LOG.warn("Took over run {} ({}): lease expired at {}, owner {}; epoch {} → {}, lease of {} until {}; resuming from its journal,"
                        + " completed steps are not repeated", cp.runId(), cp.state(), expired == null ? "unknown" : Times.iso(expired),
                cp.runOwner() == null ? "unrecorded" : cp.runOwner(), cp.epoch(), ticket.epoch(), owner, next.leaseUntil());
        return Optional.of(ticket);
    }

    /**
     * The run must still be ours (same run id and epoch in the control plane): renews its lease by a conditional write,
     * re-read and retried when the write lost only to another write of ours (a renewal on another thread). Throws
     * {@link FencedOutException} when another instance owns the run now.
     */
    public void renew(Ticket ticket) {
        for (int i = 0; i < OWN_WRITE_TRIES; i++) {
            Versioned<ControlPlaneState> v = control.read();
            ControlPlaneState cp = v.value();
            fence(ticket, cp);
            Instant until = clock.instant().plusMillis(leaseMs);
            if (control.compareAndSet(cp.leased(ticket.epoch(), owner, Times.iso(until)), v.version())) {
                return;
            }
        }
        throw new IllegalStateException("run " + ticket.runId() + ": the lease renewal kept losing the conditional write "
                + OWN_WRITE_TRIES + " times");
    }

    /** Before every step attempt: the run must still be ours; its lease is renewed on the way ({@link #renew}). */
    public void checkFence(String runId, long epoch) {
        renew(new Ticket(runId, epoch));
    }

    /**
     * Timer (every third of the lease): renews the lease of every run executing here. A run fenced out meanwhile is
     * dropped (it stops at its next step); a store error is logged and the next tick tries again.
     */
    public void renewHeld() {
        for (Ticket t : held) {
            try {
                renew(t);
            } catch (FencedOutException e) {
                held.remove(t);
                LOG.warn("Run {} lost its lease: {}; it stops at its next step", t.runId(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("Run {}: lease renewal failed ({}); retrying at the next tick", t.runId(), e.toString());
            }
        }
    }

    private static void fence(Ticket ticket, ControlPlaneState cp) {
        if (!ticket.runId().equals(cp.runId()) || cp.epoch() != ticket.epoch()) {
            throw new FencedOutException("run " + ticket.runId() + " epoch " + ticket.epoch() + " is no longer current (control plane: run "
                    + cp.runId() + " epoch " + cp.epoch() + ", owner " + cp.runOwner() + ")");
        }
    }

    /**
     * The run ends: the control plane moves to {@code phase} with calls on {@code activePlatform} (null: unchanged),
     * only if the run still owns it. Empty when it does not (fenced: another instance owns the control plane).
     */
    public Optional<ControlPlaneState> release(Ticket ticket, RunKind kind, ControlPlaneState.Phase phase, String activePlatform) {
        // a lost write is re-read: a renewal of ours (timer thread) bumps the version too, and must not fail the run's end
        for (int i = 0; i < OWN_WRITE_TRIES; i++) {
            Versioned<ControlPlaneState> v = control.read();
            ControlPlaneState cp = v.value();
            if (!ticket.runId().equals(cp.runId()) || cp.epoch() != ticket.epoch()) {
                LOG.warn("Run {} not finished by this instance: epoch {} is no longer current (owner now {}, epoch {})", ticket.runId(),
                        ticket.epoch(), cp.runOwner(), cp.epoch());
                return Optional.empty();
            }
            String now = Times.iso(clock.instant());
            ControlPlaneState next = new ControlPlaneState(phase == null ? cp.state() : phase,
                    activePlatform == null ? cp.activePlatform() : activePlatform, ticket.runId(), kind.id(), ticket.epoch(), now, now,
                    cp.lastForcedAt(), owner, null);
            if (control.compareAndSet(next, v.version())) {
                held.remove(ticket);
                return Optional.of(next);
            }
        }
        LOG.warn("Run {}: finishing kept losing the conditional write {} times; left to the lease", ticket.runId(), OWN_WRITE_TRIES);
        return Optional.empty();
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
