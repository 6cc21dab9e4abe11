package dev.ccaasfailover.runbook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a run's steps leave it: failed at the first failed step of the plan, failed when the cutover (dns and trunk)
 * did not complete, else done. {@code cutoverDone} decides whether the control plane moves.
 */
public record RunOutcome(String outcome, boolean cutoverDone, String failedStep, String detail) {

    public static RunOutcome of(List<StepRecord> journaled) {
        Map<String, StepRecord> steps = new LinkedHashMap<>();
        for (StepRecord s : journaled) {
            steps.put(s.name(), s);
        }
        boolean cutover = Runbook.CUTOVER_STEPS.stream().allMatch(n -> steps.containsKey(n) && steps.get(n).completed());
        for (String name : Runbook.PLAN) {
            StepRecord s = steps.get(name);
            if (s != null && StepRecord.FAILED.equals(s.outcome())) {
                return new RunOutcome(RunRecord.FAILED, cutover, name, name + ": " + s.detail());
            }
        }
        if (!cutover) {
            return new RunOutcome(RunRecord.FAILED, false, "dns", "cutover steps did not complete");
        }
        return new RunOutcome(RunRecord.DONE, true, null, null);
    }

    public boolean done() {
        return RunRecord.DONE.equals(outcome);
    }
}
