package dev.ccaasfailover.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccaasfailover.agents.NicePages;
import dev.ccaasfailover.agents.VendorHttp;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.platform.VendorEndpoints;

import java.util.function.Supplier;

/**
 * NICE CXone's real-time skill figures (endpoint {@code skillActivity} of the {@code niceEndpoints} bean), under NICE's
 * rate limit (the shared window).
 * The list is paged: every page is read, or skills past the first would get no figures and escape the capacity guard.
 */
public class NiceSkillActivityClient {

    private final VendorHttp nice;
    private final Supplier<VendorEndpoints> endpoints;

    /**
     * @param nice      NICE's rate-limited caller; null when NICE is not configured
     * @param endpoints the {@code niceEndpoints} bean, read when first needed
     */
    public NiceSkillActivityClient(VendorHttp nice, Supplier<VendorEndpoints> endpoints) {
        this.nice = nice;
        this.endpoints = endpoints;
    }

    /** NICE's wrapper shape, {@code {"skillActivity": [...]}}, holding the items of every page. */
    public JsonNode read() {
        ObjectNode all = Json.MAPPER.createObjectNode();
        ArrayNode items = all.putArray("skillActivity");
        NicePages.all(VendorHttp.required(nice, "nice"), endpoints.get().path("skillActivity"), "skillActivity").forEach(items::add);
        return all;
    }
}
