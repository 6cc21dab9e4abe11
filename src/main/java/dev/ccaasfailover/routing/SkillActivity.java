package dev.ccaasfailover.routing;

import com.fasterxml.jackson.databind.JsonNode;

/** One skill's figures from NICE's {@code GET /skills/activity} (docs/vendor-apis.md §5). */
public record SkillActivity(String skillId, String skillName, int agentsLoggedIn, int agentsWorking, int agentsACW,
                            int agentsAvailable, int queueCount) {

    static SkillActivity of(JsonNode item) {
        return new SkillActivity(item.path("skillId").asText(), item.path("skillName").asText(null),
                item.path("agentsLoggedIn").asInt(), item.path("agentsWorking").asInt(), item.path("agentsACW").asInt(),
                // The search variant of the API spells it agentsAvaliable.
                item.has("agentsAvailable") ? item.path("agentsAvailable").asInt() : item.path("agentsAvaliable").asInt(),
                item.path("queueCount").asInt());
    }
}
