package dev.ccaasfailover.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ccaasfailover.context.EventIngest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared mapper reads one JSON value and nothing else: a repeated key (at any depth) and data after the value are
 * refused, on every way the service reads client JSON (text, bytes, to a tree or to a type).
 */
class StrictJsonTest {

    static final List<String> AMBIGUOUS = List.of(
            "{\"reason\":\"x\",\"dryRun\":true,\"dryRun\":false}",
            "{\"a\":{\"b\":1,\"b\":2}}",
            "[{\"eventId\":\"e1\",\"eventId\":\"e2\"}]",
            "{\"reason\":\"x\",\"dryRun\":true} {\"reason\":\"x\",\"dryRun\":false}",
            "{\"reason\":\"x\",\"dryRun\":true}garbage",
            "{\"a\":1}}",
            "[1]]",
            "[1],",
            "{} 1",
            "\"text\" \"more\"");

    @Test
    void duplicateKeysAndTrailingDataAreRefusedAsTextAsBytesAndAsATypedValue() {
        for (String body : AMBIGUOUS) {
            assertThatThrownBy(() -> Json.MAPPER.readTree(body)).as(body).isInstanceOf(JsonProcessingException.class);
            assertThatThrownBy(() -> Json.MAPPER.readTree(body.getBytes(StandardCharsets.UTF_8))).as(body)
                    .isInstanceOf(JsonProcessingException.class);
            assertThatThrownBy(() -> Json.MAPPER.readValue(body, Object.class)).as(body)
                    .isInstanceOf(JsonProcessingException.class);
        }
    }

    @Test
    void whitespaceAroundTheValueIsStillJson() throws Exception {
        assertThat(Json.MAPPER.readTree(" \r\n\t{\"a\":1}\n \t\r\n").get("a").asInt()).isEqualTo(1);
        assertThat(Json.MAPPER.readValue("[1,2]\n", List.class)).containsExactly(1, 2);
        assertThat(Json.MAPPER.readValue("{\"a\":{\"b\":1},\"b\":{\"b\":2}}", Map.class)).hasSize(2); // same name, other object
    }

    @Test
    void theIngestParserAnswers400NamingTheBodyForEitherKind() {
        for (String body : AMBIGUOUS) {
            for (Runnable parse : List.<Runnable>of(() -> EventIngest.parse(body),
                    () -> EventIngest.parse(body.getBytes(StandardCharsets.UTF_8)))) {
                assertThatThrownBy(parse::run).as(body).isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("body");
                    assertThat(e.getMessage()).startsWith("body: not valid JSON");
                });
            }
        }
    }
}
