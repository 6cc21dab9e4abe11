package dev.ccaasfailover.runbook;

/**
 * A step's target as read before acting: its current and its wanted state, and whether the wanted state already
 * holds. The dry run shows these; a step skips when {@code holds}.
 *
 * @param note why the step does not apply (e.g. "dns.provider=none"), or null
 */
public record StepState(String step, String current, String target, boolean holds, String note) {
}
