package dev.ccaasfailover.agents;

import java.util.LinkedHashMap;
import java.util.Map;

/** One agent's line in the sync summary: updated, unchanged, skipped, unmatched or failed, with the reason. */
public record AgentOutcome(String agent, String outcome, String reason, String from, String to) {

    public static final String UPDATED = "updated";
    public static final String UNCHANGED = "unchanged";
    public static final String SKIPPED = "skipped";
    public static final String UNMATCHED = "unmatched";
    public static final String FAILED = "failed";

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("agent", agent);
        m.put("outcome", outcome);
        m.put("reason", reason);
        m.put("from", from);
        m.put("to", to);
        return m;
    }
}
