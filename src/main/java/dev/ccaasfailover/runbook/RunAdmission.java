package dev.ccaasfailover.runbook;

import java.time.Instant;

/**
 * Whether a run may start from the current control-plane state: the state machine NORMAL → FAILING_OVER →
 * FAILED_OVER → FAILING_BACK → NORMAL, one run at a time, the anti-flap lockout after any run, and at most one run
 * with force=true per interval (force passes the lockout, so without that bound a loop of forced requests flaps the
 * DNS record as fast as runs end). Pure logic, no store: the caller then claims the transition with a conditional
 * write.
 */
public final class RunAdmission {

    /**
     * The verdict; {@code lockoutOverridden} is true when force let a manual run through the lockout; {@code retryAt}
     * is set when only the interval between forced runs refused it (the request may be repeated then).
     */
    public record Verdict(boolean allowed, String reason, boolean lockoutOverridden, Instant retryAt) {
        static Verdict refuse(String reason) {
            return new Verdict(false, reason, false, null);
        }
    }

    private RunAdmission() {
    }

    /**
     * @param current       the control-plane state
     * @param currentRunOutcome outcome of the run named in the state (null when none)
     * @param automatic     triggered by health, not by an operator
     * @param force         an operator's force=true
     * @param forceMinIntervalMs time from one run with force=true to the next (0: no limit)
     */
    public static Verdict decide(ControlPlaneState current, String currentRunOutcome, RunKind kind, boolean automatic,
                                 boolean force, Instant now, long lockoutMs, long forceMinIntervalMs) {
        if (current.inTransition() && RunRecord.RUNNING.equals(currentRunOutcome)) {
            return Verdict.refuse("run " + current.runId() + " (" + current.runKind() + ") is in progress");
        }
        ControlPlaneState.Phase s = current.state();
        if (kind == RunKind.FAILOVER && s == ControlPlaneState.Phase.FAILED_OVER) {
            return Verdict.refuse("state is already FAILED_OVER (active platform " + current.activePlatform() + "); nothing to do");
        }
        if (kind == RunKind.FAILBACK && s == ControlPlaneState.Phase.NORMAL) {
            return Verdict.refuse("state is already NORMAL (active platform " + current.activePlatform() + "); nothing to do");
        }
        Instant lastForced = Times.parse(current.lastForcedAt());
        if (force && lastForced != null && forceMinIntervalMs > 0) {
            Instant next = lastForced.plusMillis(forceMinIntervalMs);
            if (now.isBefore(next)) {
                return new Verdict(false, "the last run with force=true started at " + Times.iso(lastForced)
                        + "; the next may start at " + Times.iso(next) + " (failover.runbook.force-min-interval-ms)", false, next);
            }
        }
        Instant lastEnd = Times.parse(current.lastRunFinishedAt());
        if (lastEnd != null && lockoutMs > 0) {
            Instant until = lastEnd.plusMillis(lockoutMs);
            if (now.isBefore(until)) {
                if (automatic) {
                    return Verdict.refuse("anti-flap lockout after the last run, until " + Times.iso(until));
                }
                if (!force) {
                    return Verdict.refuse("anti-flap lockout after the last run, until " + Times.iso(until)
                            + "; send force=true to override (journaled)");
                }
                return new Verdict(true, "lockout overridden by force=true", true, null);
            }
        }
        return new Verdict(true, null, false, null);
    }
}
