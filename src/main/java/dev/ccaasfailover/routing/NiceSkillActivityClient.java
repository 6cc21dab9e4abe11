package dev.ccaasfailover.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccaasfailover.agents.NicePages;
import dev.ccaasfailover.agents.VendorHttp;
import dev.ccaasfailover.http.Json;

/**
 * NICE CXone's real-time skill figures, {@code GET /skills/activity}, under NICE's rate limit (the shared window).
 * The list is paged: every page is read, or skills past the first would get no figures and escape the capacity guard.
 */
public class NiceSkillActivityClient {

    private final VendorHttp nice;

    /** @param nice NICE's rate-limited caller; null when NICE is not configured */
    public NiceSkillActivityClient(VendorHttp nice) {
        this.nice = nice;
    }

    /** NICE's wrapper shape, {@code {"skillActivity": [...]}}, holding the items of every page. */
    public JsonNode read() {
        ObjectNode all = Json.MAPPER.createObjectNode();
        ArrayNode items = all.putArray("skillActivity");
        NicePages.all(VendorHttp.required(nice, "nice"), "/skills/activity", "skillActivity").forEach(items::add);
        return all;
    }
}
