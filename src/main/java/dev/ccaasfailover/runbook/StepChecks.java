package dev.ccaasfailover.runbook;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The small judgements the step routes make: does the target hold, did the action verify, what does a vendor-neutral
 * answer mean for the journal. No I/O.
 */
public class StepChecks {

    private static final Logger LOG = LoggerFactory.getLogger(StepChecks.class);

    private final boolean notifyConfigured;

    public StepChecks(boolean notifyConfigured) {
        this.notifyConfigured = notifyConfigured;
    }

    /** The primary's trunks (id → enabled) against the wanted state. */
    public StepState trunkState(Map<String, Boolean> trunks, boolean wantEnabled) {
        String want = wantEnabled ? "enabled" : "disabled";
        String current = trunks.entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getValue() ? "enabled" : "disabled"))
                .collect(Collectors.joining(", "));
        boolean holds = trunks.values().stream().allMatch(v -> v == wantEnabled);
        return new StepState("trunk", current, "all " + want + " (" + trunks.size() + " trunk base settings)", holds, null);
    }

    /** Nothing to do: the target already holds, or the step does not apply. */
    public StepResult skipped(StepState state) {
        return StepResult.skipped(state.note() != null ? state.note() : "already holds: " + state.current());
    }

    /** After acting: the re-read state must hold, or the attempt fails (and is retried). */
    public StepResult verified(StepState after, String actionDetail) {
        if (!after.holds()) {
            throw new StepFailedException(after.step() + " not verified: now " + after.current() + ", wanted " + after.target(), true);
        }
        return StepResult.done((actionDetail == null || actionDetail.isBlank() ? "" : actionDetail + "; ") + "verified: " + after.current());
    }

    /**
     * The answer of {@code direct:sync-agents}: a map with {@code outcome} (done|skipped) and {@code detail}. Anything
     * else is a failure: the journal never says done for what did not happen.
     */
    public StepResult fromAgentSync(Object body) {
        if (body instanceof Map<?, ?> m && m.get("outcome") != null) {
            String outcome = String.valueOf(m.get("outcome"));
            String detail = m.get("detail") == null ? null : String.valueOf(m.get("detail"));
            if (StepRecord.DONE.equals(outcome)) {
                return StepResult.done(detail);
            }
            if (StepRecord.SKIPPED.equals(outcome)) {
                return StepResult.skipped(detail);
            }
            throw new StepFailedException("agent sync: " + outcome + (detail == null ? "" : ": " + detail), true);
        }
        throw new StepFailedException("agent sync answered without an outcome", false);
    }

    public boolean notifyConfigured() {
        return notifyConfigured;
    }

    public StepResult notifySkipped() {
        return StepResult.skipped("notify.sns.topic-arn not set");
    }

    public StepResult published(String messageId) {
        if (messageId == null || messageId.isBlank()) {
            throw new StepFailedException("SNS publish returned no message id", true);
        }
        return StepResult.done("run summary published to SNS, message id " + messageId);
    }

    /** A read in the dry run that failed: shown, not hidden. */
    public StepState unreadable(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable t, @ExchangeProperty("planStep") String step) {
        String why = t == null ? "?" : t.getMessage();
        // A dry run shows the failure in its plan; a step that is not set up here is a fact, not an error: no trace.
        if (t instanceof StepFailedException f && !f.retryable()) {
            LOG.info("Dry run: step {} not read: {}", step, why);
        } else {
            LOG.warn("Dry run: step {} not read: {}", step, why);
        }
        return new StepState(step, "unknown (read failed: " + why + ")", "?", false, null);
    }
}
