package dev.ccaasfailover.runbook;

/** What one attempt of a step reports: done (it acted and verified) or skipped (already held / not applicable). */
public record StepResult(String outcome, String detail) {

    public static StepResult done(String detail) {
        return new StepResult(StepRecord.DONE, detail);
    }

    public static StepResult skipped(String detail) {
        return new StepResult(StepRecord.SKIPPED, detail);
    }
}
