package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The control plane's persisted state: which phase and which platform takes calls. Changed only by conditional
 * writes on the store's version, so two instances never split the decision.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ControlPlaneState(Phase state, String activePlatform) {

    public enum Phase { NORMAL, FAILING_OVER, FAILED_OVER, FAILING_BACK }

    public static final String TABLE = "control";
    public static final String KEY = "control-plane";
    public static final String SORT_KEY = "state";
}
