package dev.ccaasfailover;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The service as a user meets it: business HTTP with bearer roles, and the management endpoints. */
class ServiceHttpTest {

    static RunningMiddleware app;

    @BeforeAll
    static void start() throws Exception {
        app = RunningMiddleware.start(Map.of());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void statusWithoutTokenIs401WithJsonError() throws Exception {
        HttpResponse<String> r = app.get("/status", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("status").asInt()).isEqualTo(401);
        assertThat(body.get("message").asText()).contains("bearer token");
    }

    @Test
    void statusWithAnotherRolesTokenIs403() throws Exception {
        HttpResponse<String> r = app.get("/status", RunningMiddleware.CONTEXT_TOKEN);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(r.body()).get("message").asText()).contains("admin");
    }

    @Test
    void statusWithAWrongTokenIs401() throws Exception {
        assertThat(app.get("/status", "guess").statusCode()).isEqualTo(401);
    }

    @Test
    void statusShowsNormalStateAndUnknownHealthOnEmbeddedDefaults() throws Exception {
        HttpResponse<String> r = app.get("/status", RunningMiddleware.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("state").asText()).isEqualTo("NORMAL");
        assertThat(body.get("activePlatform").asText()).isEqualTo("genesys");
        assertThat(body.get("primary").asText()).isEqualTo("genesys");
        assertThat(body.get("secondary").asText()).isEqualTo("nice");
        JsonNode sip = body.at("/platforms/genesys/layers/sip");
        assertThat(sip.get("status").asText()).isEqualTo("Unknown");
        assertThat(sip.get("reason").asText()).contains("failover.platform.genesys.sip-uri");
        assertThat(body.at("/platforms/nice/status").asText()).isEqualTo("Unknown");
    }

    @Test
    void unknownPathIs404WithAJsonBody() throws Exception {
        HttpResponse<String> r = app.get("/no-such-endpoint", RunningMiddleware.ADMIN_TOKEN);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(r.body()).get("message").asText()).isEqualTo("no such endpoint: GET /no-such-endpoint");
    }

    @Test
    void readinessIncludesTheStore() throws Exception {
        HttpResponse<String> r = app.get("/observe/health", null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("status").asText()).isEqualTo("UP");
        assertThat(body.get("checks").findValuesAsText("name")).contains("store");
    }

    @Test
    void metricsAreServedInPrometheusFormat() throws Exception {
        HttpResponse<String> r = app.get("/observe/metrics", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("# TYPE").contains("camel_context=\"ccaas-failover\"");
    }

    @Test
    void jolokiaAnswersForHawtioAndItsPolicyDeniesDiagnosticCommands() throws Exception {
        HttpResponse<String> version = app.get("/observe/jolokia/version", RunningMiddleware.ADMIN_TOKEN);
        assertThat(version.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(version.body()).get("status").asInt()).isEqualTo(200);

        HttpResponse<String> camel = app.get("/observe/jolokia/search/org.apache.camel:type=routes,*", RunningMiddleware.ADMIN_TOKEN);
        assertThat(camel.body()).contains("status-get");

        HttpResponse<String> denied = app.get("/observe/jolokia/exec/com.sun.management:type=DiagnosticCommand/vmSystemProperties", RunningMiddleware.ADMIN_TOKEN);
        assertThat(Json.MAPPER.readTree(denied.body()).get("status").asInt()).isEqualTo(403);
    }
}
