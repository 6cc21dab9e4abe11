package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One step of a run in the journal.
 *
 * @param outcome  running, done, skipped (the target already held, or the step does not apply) or failed
 * @param attempts attempts made so far
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepRecord(String name, String outcome, String startedAt, String finishedAt, String detail, int attempts) {

    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";

    /** done or skipped: a resumed run does not repeat it. */
    public boolean completed() {
        return DONE.equals(outcome) || SKIPPED.equals(outcome);
    }
}
