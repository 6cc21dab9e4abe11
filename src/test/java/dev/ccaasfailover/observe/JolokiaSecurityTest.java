package dev.ccaasfailover.observe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.ObjectName;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /observe/jolokia on the running service, attacked the way issue 15 did: real HTTP requests, GET-style URLs,
 * POST bodies and bulk arrays. Nothing without credentials; with them read-only, exec only for listed
 * operations, and never for what the policy file denies.
 */
class JolokiaSecurityTest {

    static final String USER = "hawtio";
    static final String PASSWORD = "jolokia-test-password-0123456789";
    static final String CONTEXT_MBEAN = "org.apache.camel:context=ccaas-failover,type=context,name=\"ccaas-failover\"";
    static final String HEALTH_TICK = "org.apache.camel:context=ccaas-failover,type=routes,name=\"health-tick\"";
    static final String STATUS_GET = "org.apache.camel:context=ccaas-failover,type=routes,name=\"status-get\"";

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static String bearer(String token) {
        return "Bearer " + token;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> get(RunningMiddleware app, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(RunningMiddleware app, String authorization, Object request) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri("/observe/jolokia")).timeout(Duration.ofSeconds(10))
                // text/plain is what jolokia.js sends (no CORS preflight); Jolokia reads JSON whatever the type.
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(request)));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Map<String, Object> exec(String mbean, String operation, Object... arguments) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "exec");
        r.put("mbean", mbean);
        r.put("operation", operation);
        r.put("arguments", List.of(arguments));
        return r;
    }

    static Map<String, Object> read(String mbean, String attribute) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("type", "read");
        r.put("mbean", mbean);
        if (attribute != null) {
            r.put("attribute", attribute);
        }
        return r;
    }

    /** The Jolokia status inside a 200 answer (Jolokia's protocol: per-request status in the body). */
    static int jolokiaStatus(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.MAPPER.readTree(r.body()).get("status").asInt();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void assertRefusedUnauthenticated(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("status").asInt()).isEqualTo(401);
        assertThat(body.has("value")).isFalse();
        assertThat(r.body()).doesNotContain("org.apache.camel").doesNotContain("HeapMemoryUsage").doesNotContain("agent");
    }

    /** The default configuration: admin token and Basic credentials set, no exec-allow. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class ByDefault {
        RunningMiddleware app;

        @BeforeAll
        void start() throws Exception {
            app = RunningMiddleware.start(Map.of(JolokiaAccess.USER_KEY, USER, JolokiaAccess.PASSWORD_KEY, PASSWORD));
        }

        @AfterAll
        void stop() {
            app.close();
        }

        @Test
        void withoutCredentialsReadSearchListVersionAndExecAre401WithAJsonBodyAndNoData() throws Exception {
            long ticks = app.exchangesCompleted("failover-on-platform-down");
            List<String> paths = List.of(
                    "/observe/jolokia",
                    "/observe/jolokia/",
                    "/observe/jolokia/version",
                    "/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage",
                    "/observe/jolokia/search/org.apache.camel:*",
                    "/observe/jolokia/list",
                    "/observe/jolokia/exec/" + enc(HEALTH_TICK) + "/stop",
                    "/observe/jolokia/?p=/exec/" + enc(HEALTH_TICK) + "/stop",
                    "/observe/jolokia/exec/" + enc(CONTEXT_MBEAN) + "/sendBody/direct:platform-down/x");
            for (String path : paths) {
                assertRefusedUnauthenticated(get(app, path, null));
            }
            assertRefusedUnauthenticated(post(app, null, read("java.lang:type=Memory", "HeapMemoryUsage")));
            assertRefusedUnauthenticated(post(app, null, Map.of("type", "search", "mbean", "org.apache.camel:*")));
            assertRefusedUnauthenticated(post(app, null, exec(CONTEXT_MBEAN, "sendBody(java.lang.String,java.lang.Object)",
                    "direct:platform-down", "x")));
            assertRefusedUnauthenticated(post(app, null, List.of(Map.of("type", "version"), exec(HEALTH_TICK, "stop"))));

            assertThat(app.context().getRouteController().getRouteStatus("health-tick")).isEqualTo(ServiceStatus.Started);
            assertThat(app.exchangesCompleted("failover-on-platform-down")).isEqualTo(ticks);
        }

        @Test
        void aStrangerIsTurnedAwayBeforeHisBodyIsRead() throws Exception {
            // A body announced at 100 MB and never sent: the 401 must come ahead of any body handler (413, or a wait).
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.uri("/").getPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("POST /observe/jolokia HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: text/plain\r\nContent-Length: 104857600\r\n\r\n{\"type\":\"version\"")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(
                        socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                assertThat(statusLine).isEqualTo("HTTP/1.1 401 Unauthorized");
            }
        }

        @Test
        void wrongTokensAndWrongBasicCredentialsAre401() throws Exception {
            String path = "/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage";
            for (String authorization : List.of(
                    bearer("not-the-admin-token"),
                    bearer(RunningMiddleware.CONTEXT_TOKEN),
                    bearer(RunningMiddleware.INGEST_TOKEN),
                    bearer(RunningMiddleware.ADMIN_TOKEN + "x"),
                    "Bearer",
                    "Bearer ",
                    RunningMiddleware.ADMIN_TOKEN,
                    basic(USER, PASSWORD + "x"),
                    basic(USER, RunningMiddleware.ADMIN_TOKEN),
                    basic("admin", PASSWORD),
                    basic(USER, ""),
                    "Basic not-base64!!",
                    "Basic " + Base64.getEncoder().encodeToString((USER + PASSWORD).getBytes(StandardCharsets.UTF_8)),
                    "Digest username=\"" + USER + "\"")) {
                HttpResponse<String> r = get(app, path, authorization);
                assertRefusedUnauthenticated(r);
                assertThat(r.headers().allValues("WWW-Authenticate")).anyMatch(v -> v.startsWith("Basic "));
            }
        }

        @Test
        void theAdminTokenOrBasicCredentialsMayReadSearchAndList() throws Exception {
            for (String authorization : List.of(bearer(RunningMiddleware.ADMIN_TOKEN), basic(USER, PASSWORD))) {
                HttpResponse<String> heap = get(app, "/observe/jolokia/read/java.lang:type=Memory/HeapMemoryUsage", authorization);
                assertThat(jolokiaStatus(heap)).isEqualTo(200);
                assertThat(Json.MAPPER.readTree(heap.body()).at("/value/used").asLong()).isPositive();

                HttpResponse<String> routes = get(app, "/observe/jolokia/search/org.apache.camel:type=routes,*", authorization);
                assertThat(jolokiaStatus(routes)).isEqualTo(200);
                assertThat(routes.body()).contains("health-tick");

                HttpResponse<String> state = post(app, authorization, read(HEALTH_TICK, "State"));
                assertThat(Json.MAPPER.readTree(state.body()).get("value").asText()).isEqualTo("Started");

                assertThat(jolokiaStatus(get(app, "/observe/jolokia/list/java.lang/type=Memory", authorization))).isEqualTo(200);
            }
        }

        @Test
        void authenticatedExecOfCamelsSendingOperationsAndRouteStopIsRefusedByDefault() throws Exception {
            String admin = bearer(RunningMiddleware.ADMIN_TOKEN);
            long runs = app.exchangesCompleted("failover-on-platform-down");
            List<Map<String, Object>> attacks = List.of(
                    exec(CONTEXT_MBEAN, "requestBody(java.lang.String,java.lang.Object)",
                            "class:java.lang.System?method=getenv('FAILOVER_TOKEN_ADMIN')", ""),
                    exec(CONTEXT_MBEAN, "requestBody(java.lang.String,java.lang.Object)",
                            "bean:customerContext?method=toString", ""),
                    exec(CONTEXT_MBEAN, "sendBody(java.lang.String,java.lang.Object)", "direct:platform-down", "genesys"),
                    exec(CONTEXT_MBEAN, "sendBody", "direct:platform-down", "genesys"),
                    exec(CONTEXT_MBEAN, "createEndpoint(java.lang.String)", "http://127.0.0.1:1/?t={{env:FAILOVER_TOKEN_INGEST}}"),
                    exec(CONTEXT_MBEAN, "createEndpoint", "log:x"),
                    exec(HEALTH_TICK, "stop"),
                    exec(HEALTH_TICK, "stop()"),
                    exec(HEALTH_TICK, "stop(long)", 1),
                    exec("org.apache.camel:type=routes,*", "stop()"),
                    exec("org.apache.camel:context=ccaas-failover,type=routes,name=\"context-ingest-events\"", "stop"),
                    exec("org.apache.camel:context=ccaas-failover,type=context,*", "stop()"));
            for (Map<String, Object> attack : attacks) {
                HttpResponse<String> r = post(app, admin, attack);
                assertThat(jolokiaStatus(r)).as(attack.toString()).isEqualTo(403);
                assertThat(r.body()).doesNotContain(RunningMiddleware.ADMIN_TOKEN).doesNotContain(RunningMiddleware.INGEST_TOKEN);
            }
            // The same as GET-style URLs, with and without the p= parameter.
            for (String path : List.of(
                    "/observe/jolokia/exec/" + enc(HEALTH_TICK) + "/stop",
                    "/observe/jolokia/exec/" + enc(HEALTH_TICK) + "/stop()",
                    "/observe/jolokia/?p=/exec/" + enc(HEALTH_TICK) + "/stop",
                    "/observe/jolokia/exec/" + enc(CONTEXT_MBEAN) + "/sendBody/direct:platform-down/genesys",
                    "/observe/jolokia/exec/" + enc(CONTEXT_MBEAN) + "/createEndpoint/log:x")) {
                assertThat(jolokiaStatus(get(app, path, admin))).as(path).isEqualTo(403);
            }
            assertThat(app.context().getRouteController().getRouteStatus("health-tick")).isEqualTo(ServiceStatus.Started);
            assertThat(app.context().getRouteController().getRouteStatus("context-ingest-events")).isEqualTo(ServiceStatus.Started);
            assertThat(app.context().hasEndpoint("log:x")).isNull();
            assertThat(app.exchangesCompleted("failover-on-platform-down")).isEqualTo(runs);
            long ticks = app.exchangesCompleted("health-tick");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> app.exchangesCompleted("health-tick") > ticks);
        }

        @Test
        void writesAndNotificationsAreRefusedEvenWithCredentials() throws Exception {
            String admin = bearer(RunningMiddleware.ADMIN_TOKEN);
            Map<String, Object> write = new LinkedHashMap<>(Map.of("type", "write", "mbean", "java.lang:type=Memory",
                    "attribute", "Verbose", "value", true));
            assertThat(jolokiaStatus(post(app, admin, write))).isEqualTo(403);
            assertThat(jolokiaStatus(get(app, "/observe/jolokia/write/java.lang:type=Memory/Verbose/true", admin))).isEqualTo(403);
            assertThat(ManagementFactory.getMemoryMXBean().isVerbose()).isFalse();
            assertThat(jolokiaStatus(post(app, admin, Map.of("type", "notification", "command", "register")))).isEqualTo(403);
        }

        @Test
        void aBulkRequestAnswersEachPartAndRefusesTheDeniedOnes() throws Exception {
            HttpResponse<String> r = post(app, basic(USER, PASSWORD), List.of(
                    read("java.lang:type=Memory", "HeapMemoryUsage"),
                    exec(CONTEXT_MBEAN, "requestBody(java.lang.String,java.lang.Object)",
                            "class:java.lang.System?method=getenv('FAILOVER_TOKEN_ADMIN')", ""),
                    Map.of("type", "version"),
                    exec(HEALTH_TICK, "stop"),
                    read("com.sun.management:type=HotSpotDiagnostic", "DiagnosticOptions")));
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode answers = Json.MAPPER.readTree(r.body());
            assertThat(answers.findValues("status").stream().map(JsonNode::asInt).toList()).containsExactly(200, 403, 200, 403, 403);
            assertThat(r.body()).doesNotContain(RunningMiddleware.ADMIN_TOKEN);
            assertThat(app.context().getRouteController().getRouteStatus("health-tick")).isEqualTo(ServiceStatus.Started);
        }

        @Test
        void malformedRequestsAre400WithAJsonBodyNot500() throws Exception {
            String admin = bearer(RunningMiddleware.ADMIN_TOKEN);
            List<byte[]> bodies = List.of("{\"type\":".getBytes(StandardCharsets.UTF_8),
                    "\"a string\"".getBytes(StandardCharsets.UTF_8),
                    new byte[0],
                    "[".repeat(5000).getBytes(StandardCharsets.UTF_8),
                    new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
            for (byte[] body : bodies) {
                HttpRequest bad = HttpRequest.newBuilder(app.uri("/observe/jolokia")).header("Authorization", admin)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                HttpResponse<String> r = HTTP.send(bad, HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(new String(body, StandardCharsets.UTF_8)).isEqualTo(400);
                assertThat(Json.MAPPER.readTree(r.body()).get("status").asInt()).isEqualTo(400);
                assertThat(r.body()).doesNotContain("\tat ");
            }

            HttpResponse<String> unknownType = get(app, "/observe/jolokia/bogus/x", admin);
            assertThat(unknownType.statusCode()).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(unknownType.body()).get("status").asInt()).isEqualTo(400);

            // Jolokia's GET path parser ran past the end of this one (found by HostileInputFuzzTest): 500 before.
            for (String path : List.of("/observe/jolokia/..%2F", "/observe/jolokia/..%2f..%2f")) {
                HttpResponse<String> r = get(app, path, admin);
                assertThat(r.statusCode()).as(path).isEqualTo(400);
                assertThat(Json.MAPPER.readTree(r.body()).get("status").asInt()).as(path).isEqualTo(400);
                assertThat(r.body()).as(path).doesNotContain("String index").doesNotContain("\tat ");
            }
        }

        @Test
        void aRequestOfTheWrongShapeIs400FromTheGuardAndNoErrorNamesAJavaClass() throws Exception {
            String admin = bearer(RunningMiddleware.ADMIN_TOKEN);
            List<Object> shapes = List.of(Map.of("type", Map.of()), Map.of("type", 1), Map.of("type", "bogus"),
                    Map.of("mbean", "x".repeat(100_000)), Map.of("x", "y"), List.of(),
                    Map.of("type", "read", "mbean", "x".repeat(2000)),
                    Map.of("type", "exec", "mbean", HEALTH_TICK, "operation", "stop", "arguments", "x"),
                    List.of(Map.of("type", "version"), Map.of("type", List.of())));
            for (Object shape : shapes) {
                HttpResponse<String> r = post(app, admin, shape);
                assertThat(r.statusCode()).as(Json.write(shape)).isEqualTo(400);
                JsonNode body = Json.MAPPER.readTree(r.body());
                assertThat(body.get("status").asInt()).isEqualTo(400);
                assertThat(body.get("message").asText()).isNotBlank();
                assertThat(body.get("error").asText()).isEqualTo(body.get("message").asText());
                assertThat(r.body()).doesNotContain("java.").doesNotContain("error_type");
            }
            HttpResponse<String> unknownType = get(app, "/observe/jolokia/bogus/x", admin);
            assertThat(unknownType.body()).doesNotContain("java.").doesNotContain("error_type");
            assertThat(Json.MAPPER.readTree(unknownType.body()).get("message").asText()).isNotBlank();

            HttpResponse<String> bulk = post(app, admin, List.of(Map.of("type", "version"), exec(HEALTH_TICK, "stop")));
            JsonNode refused = Json.MAPPER.readTree(bulk.body()).get(1);
            assertThat(refused.get("status").asInt()).isEqualTo(403);
            assertThat(refused.get("message").asText()).isNotBlank();
            assertThat(refused.has("error_type")).isFalse();
            assertThat(refused.get("error").asText()).doesNotStartWith("java.");
        }

        @Test
        void healthAndMetricsAnswerWithoutCredentialsAndRevealNoSecretAndNoConsoleCanAct() throws Exception {
            // /observe/info (OS, user name, process id) is not served at all
            assertThat(get(app, "/observe/info", null).statusCode()).isEqualTo(404);
            for (String path : List.of("/observe/health", "/observe/health/ready", "/observe/health/live",
                    "/observe/metrics")) {
                HttpResponse<String> r = get(app, path, null);
                assertThat(r.statusCode()).as(path).isEqualTo(200);
                assertThat(r.body()).as(path).doesNotContain(RunningMiddleware.ADMIN_TOKEN)
                        .doesNotContain(RunningMiddleware.CONTEXT_TOKEN).doesNotContain(RunningMiddleware.INGEST_TOKEN)
                        .doesNotContain(PASSWORD);
            }
            // Camel's management consoles that could act (send a message, upload or download files) stay off.
            for (String path : List.of("/q/send/", "/q/upload/x", "/q/download/x", "/q/dev", "/observe/send/")) {
                assertThat(get(app, path, bearer(RunningMiddleware.ADMIN_TOKEN)).statusCode()).as(path).isEqualTo(404);
            }
        }
    }

    /** Every denied entry of jolokia-access.xml, with all of them (and one Camel operation) in the allow-list. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithAnAllowList {
        RunningMiddleware app;
        final List<String[]> deniedOperations = new ArrayList<>();
        final List<String[]> deniedAttributes = new ArrayList<>();

        @BeforeAll
        void start() throws Exception {
            readDenials();
            StringBuilder allow = new StringBuilder(HEALTH_TICK + "#stop");
            for (String[] op : deniedOperations) {
                allow.append(';').append(op[0]).append('#').append(op[1]);
            }
            app = RunningMiddleware.start(Map.of(JolokiaAccess.EXEC_ALLOW_KEY, allow.toString()));
        }

        @AfterAll
        void stop() {
            app.close();
        }

        /** Expands each deny's '*' to the MBean's real attributes and operations. */
        void readDenials() throws Exception {
            Document doc;
            try (InputStream in = getClass().getResourceAsStream("/jolokia-access.xml")) {
                doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(in);
            }
            NodeList denies = ((Element) doc.getElementsByTagName("deny").item(0)).getElementsByTagName("mbean");
            assertThat(denies.getLength()).isPositive();
            var server = ManagementFactory.getPlatformMBeanServer();
            for (int i = 0; i < denies.getLength(); i++) {
                Element mbean = (Element) denies.item(i);
                String name = mbean.getElementsByTagName("name").item(0).getTextContent().trim();
                assertThat(server.isRegistered(new ObjectName(name))).as(name + " must exist to prove its deny").isTrue();
                MBeanInfo info = server.getMBeanInfo(new ObjectName(name));
                NodeList ops = mbean.getElementsByTagName("operation");
                for (int j = 0; j < ops.getLength(); j++) {
                    String op = ops.item(j).getTextContent().trim();
                    for (MBeanOperationInfo o : info.getOperations()) {
                        if (op.equals("*") || op.equals(o.getName())) {
                            deniedOperations.add(new String[] {name, o.getName()});
                        }
                    }
                }
                NodeList attributes = mbean.getElementsByTagName("attribute");
                for (int j = 0; j < attributes.getLength(); j++) {
                    String a = attributes.item(j).getTextContent().trim();
                    for (MBeanAttributeInfo ai : info.getAttributes()) {
                        if (a.equals("*") || a.equals(ai.getName())) {
                            deniedAttributes.add(new String[] {name, ai.getName()});
                        }
                    }
                }
            }
            assertThat(deniedOperations).anyMatch(o -> o[0].equals("java.lang:type=Memory") && o[1].equals("gc"));
        }

        @Test
        void everyDeniedOperationIsRefusedHoweverItIsNamedEvenWhenTheAllowListNamesIt() throws Exception {
            String admin = bearer(RunningMiddleware.ADMIN_TOKEN);
            for (String[] op : deniedOperations) {
                String mbean = op[0];
                String pattern = mbean.substring(0, mbean.indexOf(':') + 1) + "*";
                for (Map<String, Object> attempt : List.of(exec(mbean, op[1]), exec(mbean, op[1] + "()"),
                        exec(mbean, op[1] + "([Ljava.lang.String;)"), exec(pattern, op[1] + "()"))) {
                    assertThat(jolokiaStatus(post(app, admin, attempt))).as(attempt.toString()).isEqualTo(403);
                }
                assertThat(jolokiaStatus(get(app, "/observe/jolokia/exec/" + enc(mbean) + "/" + op[1] + "()", admin)))
                        .as(mbean + " " + op[1]).isEqualTo(403);
            }
        }

        @Test
        void everyDeniedAttributeIsRefused() throws Exception {
            String admin = bearer(RunningMiddleware.ADMIN_TOKEN);
            assertThat(deniedAttributes).isNotEmpty();
            for (String[] a : deniedAttributes) {
                assertThat(jolokiaStatus(post(app, admin, read(a[0], a[1])))).as(a[0] + " " + a[1]).isEqualTo(403);
            }
            // Reading a denied MBean as a whole, or through a pattern, yields none of its attributes.
            HttpResponse<String> whole = post(app, admin, read("com.sun.management:type=HotSpotDiagnostic", null));
            assertThat(whole.body()).doesNotContain("DiagnosticOptions\":[");
        }

        @Test
        void exactlyTheListedOperationRuns() throws Exception {
            String admin = bearer(RunningMiddleware.ADMIN_TOKEN);
            assertThat(jolokiaStatus(post(app, admin, exec(STATUS_GET, "stop")))).isEqualTo(403);
            assertThat(jolokiaStatus(post(app, admin, exec(HEALTH_TICK, "suspend")))).isEqualTo(403);
            assertThat(jolokiaStatus(post(app, admin, exec(CONTEXT_MBEAN, "sendBody", "direct:platform-down", "genesys"))))
                    .isEqualTo(403);
            assertThat(app.context().getRouteController().getRouteStatus("status-get")).isEqualTo(ServiceStatus.Started);

            assertThat(jolokiaStatus(post(app, admin, exec(HEALTH_TICK, "stop()")))).isEqualTo(200);
            assertThat(app.context().getRouteController().getRouteStatus("health-tick")).isEqualTo(ServiceStatus.Stopped);
            assertThat(jolokiaStatus(get(app, "/observe/jolokia/exec/" + enc(HEALTH_TICK) + "/start", admin))).isEqualTo(403);
            assertThat(app.context().getRouteController().getRouteStatus("health-tick")).isEqualTo(ServiceStatus.Stopped);
        }
    }

    /** No admin token and no Basic password: Jolokia is closed to everybody. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class WithoutAnyCredentialConfigured {
        RunningMiddleware app;

        @BeforeAll
        void start() throws Exception {
            app = RunningMiddleware.start(Map.of("failover.security.token.admin", ""));
        }

        @AfterAll
        void stop() {
            app.close();
        }

        @Test
        void everyRequestIsRefused() throws Exception {
            for (String authorization : java.util.Arrays.asList(null, "Bearer ", bearer(RunningMiddleware.ADMIN_TOKEN),
                    bearer(RunningMiddleware.CONTEXT_TOKEN), basic("", ""), basic(USER, PASSWORD))) {
                HttpResponse<String> r = get(app, "/observe/jolokia/version", authorization);
                assertRefusedUnauthenticated(r);
                assertThat(Json.MAPPER.readTree(r.body()).get("message").asText()).contains("closed");
            }
            assertThat(get(app, "/observe/health/ready", null).statusCode()).isEqualTo(200);
        }
    }
}
