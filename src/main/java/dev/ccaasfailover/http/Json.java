package dev.ccaasfailover.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The product's two Jackson mappers: a strict one for what clients send us, a tolerant one for what vendors answer. */
public final class Json {

    /**
     * Client input (and our own stored JSON). Timestamps travel as ISO-8601 strings, built by the code that owns them.
     * Strict reader: a repeated key or data after the JSON value is an error, because a proxy or WAF that reads the
     * first key (or stops at the first value) would see another request than the one we act on
     * ({"dryRun":true,"dryRun":false} was a real failover).
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /**
     * Vendor answers (Genesys, NICE, their OAuth endpoints): tolerant, because vendors add fields without notice and
     * an answer we cannot act on is worse than one with a field we do not know. Unknown fields are ignored; a repeated
     * key or trailing data is not our client's trick but the vendor's quirk, so it does not fail the call either.
     * Never use it for client input.
     */
    public static final ObjectMapper VENDOR = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
