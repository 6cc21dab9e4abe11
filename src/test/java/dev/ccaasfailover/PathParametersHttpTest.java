package dev.ccaasfailover;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.ccaasfailover.testsupport.RunningMiddleware.ADMIN_TOKEN;
import static dev.ccaasfailover.testsupport.RunningMiddleware.CONTEXT_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint with a path parameter, called with values that once reached the beans as something else (the text
 * null became null, quotes were stripped) or that no store key can hold: a 4xx with the JSON error body, never a 5xx.
 */
class PathParametersHttpTest {

    static RunningMiddleware app;

    /** {path template with X for the parameter, token}. */
    static final List<String[]> ENDPOINTS = List.of(
            new String[] {"/context/X", CONTEXT_TOKEN},
            new String[] {"/calls/X", CONTEXT_TOKEN},
            new String[] {"/calls/X/context", CONTEXT_TOKEN},
            new String[] {"/routing/queues/X/decision", CONTEXT_TOKEN},
            new String[] {"/runs/X", ADMIN_TOKEN});

    static final List<String> VALUES = List.of("null", "NULL", "%00", "a%00b", "..%2F", "..%2F..%2Fstatus", "%2e%2e", "..",
            "'c-1'", "%22c-1%22", "%20", "%09", "%0d%0aSet-Cookie:%20x=1", "*", "true", "1.5", "a,b", "%24%7Bheader.Authorization%7D",
            "%24%7Bbody%7D", "%7B%7D", "%5B%5D", "%C3%A9", "%F0%9F%98%80", "x".repeat(201), "9".repeat(3900));

    @BeforeAll
    static void start() throws Exception {
        app = RunningMiddleware.start(Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void noPathParameterValueCausesA5xxAndEveryRefusalIsAJsonError() throws Exception {
        List<String> failures = new ArrayList<>();
        int answered = 0;
        for (String[] endpoint : ENDPOINTS) {
            for (String value : VALUES) {
                String path = endpoint[0].replace("X", value);
                HttpResponse<String> r = app.get(path, endpoint[1]);
                answered++;
                if (r.statusCode() >= 500) {
                    failures.add(path.substring(0, Math.min(path.length(), 80)) + " -> " + r.statusCode() + " " + r.body());
                } else if (r.statusCode() != 200 && !isJsonError(r)) {
                    failures.add(path.substring(0, Math.min(path.length(), 80)) + " -> " + r.statusCode() + " not a JSON error: " + r.body());
                }
            }
        }
        assertThat(failures).as("of %d requests", answered).isEmpty();
    }

    @Test
    void theTextNullIsAnIdLikeAnyOtherNotAMissingValue() throws Exception {
        assertError(app.get("/runs/null", ADMIN_TOKEN), 404, null);
        assertError(app.get("/calls/null", CONTEXT_TOKEN), 404, null);
        assertError(app.get("/calls/null/context", CONTEXT_TOKEN), 404, null);
        assertError(app.get("/routing/queues/null/decision", CONTEXT_TOKEN), 404, "queueId");
        assertError(app.get("/context/null", CONTEXT_TOKEN), 400, "phoneNumber");
    }

    @Test
    void aValueThatCannotBeAnIdIs400NamingTheParameter() throws Exception {
        assertError(app.get("/runs/run%001", ADMIN_TOKEN), 400, "runId");
        assertError(app.get("/runs/..%2F", ADMIN_TOKEN), 404, null); // dots and slashes are id characters: no such run
        assertError(app.get("/calls/a%00b", CONTEXT_TOKEN), 400, "callId");
        assertError(app.get("/calls/" + "x".repeat(201) + "/context", CONTEXT_TOKEN), 400, "callId");
        assertError(app.get("/routing/queues/'q-1'/decision", CONTEXT_TOKEN), 400, "queueId");
    }

    static boolean isJsonError(HttpResponse<String> r) {
        try {
            JsonNode body = Json.MAPPER.readTree(r.body());
            return r.headers().firstValue("Content-Type").orElse("").startsWith("application/json")
                    && body.get("status").asInt() == r.statusCode() && body.hasNonNull("message");
        } catch (Exception e) {
            return false;
        }
    }

    static void assertError(HttpResponse<String> r, int status, String field) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(isJsonError(r)).as(r.body()).isTrue();
        if (field != null) {
            assertThat(Json.MAPPER.readTree(r.body()).get("field").asText()).isEqualTo(field);
        }
    }
}
