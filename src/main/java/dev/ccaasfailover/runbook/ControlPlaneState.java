package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The control plane's persisted state: which phase, which platform takes calls, which run moves it and with which
 * fencing epoch. Changed only by conditional writes on the store's version, so two instances never split the
 * decision; the epoch grows with every run start and every take-over, so a run whose epoch is no longer current
 * stops at its next step.
 *
 * @param runId             the run that moves (or last moved) the state; null before the first run
 * @param runKind           failover or failback
 * @param epoch             fencing token of the instance that owns the run
 * @param updatedAt         when this state was written
 * @param lastRunFinishedAt when the last run ended; the anti-flap lockout counts from here
 * @param lastForcedAt      when the last run with force=true was claimed; the next one waits
 *                          failover.runbook.force-min-interval-ms from here (written by the claim's conditional
 *                          write, so the limit holds across instances sharing the store)
 * @param runOwner          the instance (failover.health.instance-id) that owns, or last owned, the run
 * @param leaseUntil        until when the owner holds the run without renewing (failover.runbook.lease-ms); null once
 *                          the run has ended, and in records written before leases (see {@link RunClaim#leaseExpiry})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlPlaneState(Phase state, String activePlatform, String runId, String runKind, long epoch,
                                String updatedAt, String lastRunFinishedAt, String lastForcedAt, String runOwner,
                                String leaseUntil) {

    public enum Phase { NORMAL, FAILING_OVER, FAILED_OVER, FAILING_BACK }

    public static final String TABLE = "control";
    public static final String KEY = "control-plane";
    public static final String SORT_KEY = "state";

    public ControlPlaneState(Phase state, String activePlatform) {
        this(state, activePlatform, null, null, 0, null, null, null, null, null);
    }

    /** A state without a lease: before any run, or as written before leases existed. */
    public ControlPlaneState(Phase state, String activePlatform, String runId, String runKind, long epoch, String updatedAt,
                             String lastRunFinishedAt, String lastForcedAt) {
        this(state, activePlatform, runId, runKind, epoch, updatedAt, lastRunFinishedAt, lastForcedAt, null, null);
    }

    /** The same state with the run owned by {@code owner} under {@code epoch}, its lease running until {@code until}. */
    public ControlPlaneState leased(long epoch, String owner, String until) {
        return new ControlPlaneState(state, activePlatform, runId, runKind, epoch, updatedAt, lastRunFinishedAt, lastForcedAt,
                owner, until);
    }

    public boolean inTransition() {
        return state == Phase.FAILING_OVER || state == Phase.FAILING_BACK;
    }
}
