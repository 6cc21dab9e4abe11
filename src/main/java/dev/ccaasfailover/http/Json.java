package dev.ccaasfailover.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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

    /**
     * Refuses (400, field body) a request body that is not UTF-8 as RFC 3629 defines it. Jackson's byte parser lets
     * some malformed sequences through inside strings (an overlong C0 AF, a UTF-16 surrogate written in three bytes),
     * so a body with any non-ASCII byte goes through the JDK's strict decoder first; an ASCII body costs one scan.
     */
    public static void requireUtf8(byte[] body) {
        for (byte b : body) {
            if (b < 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
                } catch (CharacterCodingException e) {
                    throw ApiException.badRequest("body", "not valid JSON (not UTF-8: " + e.getMessage() + ")");
                }
                return;
            }
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
