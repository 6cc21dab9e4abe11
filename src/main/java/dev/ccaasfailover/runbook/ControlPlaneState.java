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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ControlPlaneState(Phase state, String activePlatform, String runId, String runKind, long epoch,
                                String updatedAt, String lastRunFinishedAt, String lastForcedAt) {

    public enum Phase { NORMAL, FAILING_OVER, FAILED_OVER, FAILING_BACK }

    public static final String TABLE = "control";
    public static final String KEY = "control-plane";
    public static final String SORT_KEY = "state";

    public ControlPlaneState(Phase state, String activePlatform) {
        this(state, activePlatform, null, null, 0, null, null, null);
    }

    public boolean inTransition() {
        return state == Phase.FAILING_OVER || state == Phase.FAILING_BACK;
    }
}
