package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An answer a simulator sends: status, content type, body and extra headers. */
public record SimResponse(int status, String contentType, byte[] body, Map<String, String> headers) {

    public SimResponse {
        body = body == null ? new byte[0] : body;
        headers = Map.copyOf(headers == null ? Map.of() : headers);
    }

    public static SimResponse json(int status, Object value) {
        try {
            return new SimResponse(status, "application/json", Json.MAPPER.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise simulator response", e);
        }
    }

    public static SimResponse xml(int status, String xml) {
        return new SimResponse(status, "text/xml", xml.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static SimResponse empty(int status) {
        return new SimResponse(status, null, new byte[0], Map.of());
    }

    public SimResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new SimResponse(status, contentType, body, copy);
    }

}
