package dev.ccaasfailover.routing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.agents.VendorHttp;

/** NICE CXone's real-time skill figures, {@code GET /skills/activity}, under NICE's rate limit (the shared bucket). */
public class NiceSkillActivityClient {

    private final VendorHttp nice;

    /** @param nice NICE's rate-limited caller; null when NICE is not configured */
    public NiceSkillActivityClient(VendorHttp nice) {
        this.nice = nice;
    }

    public JsonNode read() {
        return VendorHttp.required(nice, "nice").get("/skills/activity");
    }
}
