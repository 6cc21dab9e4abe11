package dev.ccaasfailover.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The role check of every bearer-protected endpoint, now the role-* route configurations of
 * routes/security-bearer.camel.yaml: no token 401, another role's token 403 (both the JSON error body), the role's
 * own token and the admin token pass. Tokens holding quotes and commas pass as written (bound by @Header).
 */
class BearerRolesHttpTest {

    /** quotes and a comma: a method-string parameter would have mangled these */
    static final String QUOTED_CONTEXT_TOKEN = "ctx-'quoted', \"token\"";
    static RunningMiddleware app;

    @BeforeAll
    static void start() throws Exception {
        app = RunningMiddleware.start(Map.of("failover.security.token.context", QUOTED_CONTEXT_TOKEN));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static HttpResponse<String> call(String method, String path, String token) throws Exception {
        return method.equals("GET") ? app.get(path, token) : app.post(path, token, "{\"reason\":\"x\",\"dryRun\":true}");
    }

    private static String token(String role) {
        return switch (role) {
            case "admin" -> RunningMiddleware.ADMIN_TOKEN;
            case "context" -> QUOTED_CONTEXT_TOKEN;
            case "ingest" -> RunningMiddleware.INGEST_TOKEN;
            default -> throw new IllegalArgumentException(role);
        };
    }

    @ParameterizedTest(name = "{0} {1} needs {2}")
    @CsvSource({
            "POST, /events, ingest, context",
            "GET, /context/+13175550142, context, ingest",
            "GET, /calls/c-1, context, ingest",
            "GET, /calls/c-1/context, context, ingest",
            "GET, /routing/queues/q-1/decision, context, ingest",
            "GET, /status, admin, context",
            "GET, /runs, admin, ingest",
            "GET, /runs/r-1, admin, context",
            "POST, /failover, admin, ingest",
            "POST, /failback, admin, context"})
    void everyProtectedEndpointChecksItsRole(String method, String path, String role, String otherRole) throws Exception {
        HttpResponse<String> none = call(method, path, null);
        assertThat(none.statusCode()).as(none.body()).isEqualTo(401);
        JsonNode body = new ObjectMapper().readTree(none.body());
        assertThat(body.get("status").asInt()).isEqualTo(401);

        HttpResponse<String> other = call(method, path, token(otherRole));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
        assertThat(new ObjectMapper().readTree(other.body()).get("status").asInt()).isEqualTo(403);

        assertThat(call(method, path, "made-up").statusCode()).isEqualTo(401);
        assertThat(call(method, path, token(role)).statusCode()).as(path + " with its role's token").isNotIn(401, 403);
        assertThat(call(method, path, RunningMiddleware.ADMIN_TOKEN).statusCode()).as(path + " with the admin token").isNotIn(401, 403);
    }
}
