package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The journal header of one run.
 *
 * @param kind              failover or failback
 * @param trigger           automatic, manual or resumed
 * @param lockoutOverridden true when a manual run with force=true started inside the anti-flap lockout
 * @param outcome           running, done or failed
 * @param failedStep        the first step that failed, when the outcome is failed
 * @param plan              the step names, in order (dns and trunk run in parallel)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunRecord(String runId, String kind, String trigger, String reason, boolean force,
                        boolean lockoutOverridden, String fromPlatform, String toPlatform, String outcome,
                        String startedAt, String finishedAt, String failedStep, String detail, List<String> plan) {

    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    public RunRecord finished(String newOutcome, String finishedAtIso, String failed, String newDetail) {
        return new RunRecord(runId, kind, trigger, reason, force, lockoutOverridden, fromPlatform, toPlatform, newOutcome,
                startedAt, finishedAtIso, failed, newDetail, plan);
    }
}
