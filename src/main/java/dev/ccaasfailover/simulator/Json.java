package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The simulators' shared Jackson mapper and small helpers. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses a request body; a body that is not JSON is the client's fault, so it answers 400. */
    static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw new SimHttpException(400, "bad.request", "a JSON body is required");
        }
        try {
            return MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SimHttpException(400, "bad.request", "body is not valid JSON: " + e.getOriginalMessage());
        }
    }
}
