package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An event's fields are strings (or integer ids); nothing else is coerced into one. */
class EventTranslatorTypesTest {

    private final EventTranslator translator = new EventTranslator(EventMappings.load(Path.of("mappings")),
            new PhoneNormalizer("US"));

    private JsonNode event(String field, String rawJsonValue) throws Exception {
        String json = "{\"eventId\":\"ev-1\",\"type\":\"CallStarted\",\"platform\":\"genesys\",\"callId\":\"call-1\","
                + "\"phoneNumber\":\"+13175550199\",\"timestamp\":\"" + Instant.now().minusSeconds(5) + "\"}";
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(json);
        node.set(field, Json.MAPPER.readTree(rawJsonValue));
        return node;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "eventId | -1e999999 | a number",
            "eventId | 1.5 | a number",
            "callId | true | a boolean",
            "intent | {\"a\":\"b\"} | an object",
            "queueId | [\"q\"] | an array",
            "agentId | 1e400 | a number"})
    void aFieldOfTheWrongTypeIsRefusedByName(String field, String value, String kind) throws Exception {
        assertThatThrownBy(() -> translator.translate(event(field, value), "[2]."))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.field()).isEqualTo("[2]." + field);
                    assertThat(e.getMessage()).contains("must be a string, not " + kind);
                });
    }

    @Test
    void aNulInAnIdIsNotTrimmedAwayButRefused() throws Exception {
        assertThatThrownBy(() -> translator.translate(event("callId", "\"call-1\\u0000\""), ""))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.field()).isEqualTo("callId"));
    }

    @Test
    void integerIdsAndBlankPaddedStringsAreText() throws Exception {
        CanonicalEvent e = translator.translate(event("callId", "12345678901234567890123"), "").event();
        assertThat(e.callId()).isEqualTo("12345678901234567890123");
        assertThat(translator.translate(event("intent", "\"  billing \\t\""), "").event().intent()).isEqualTo("billing");
    }
}
