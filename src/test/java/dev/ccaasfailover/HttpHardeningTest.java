package dev.ccaasfailover;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.ccaasfailover.testsupport.RunningMiddleware.ADMIN_TOKEN;
import static dev.ccaasfailover.testsupport.RunningMiddleware.CONTEXT_TOKEN;
import static dev.ccaasfailover.testsupport.RunningMiddleware.INGEST_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP layer against the running service, as an attacker meets it: nothing from a request comes back as a
 * response header, the token counts only in the Authorization header, JSON endpoints refuse other content types,
 * the HTTP layer's own refusals carry the JSON error body, and slow or idle clients are cut off.
 */
class HttpHardeningTest {

    /** Header and body timeouts small enough for a test; the idle timeout has its own instance below. */
    static final long CLIENT_TIMEOUT_MS = 1500;
    /** Far above every timeout configured here: only a broken timeout keeps a connection open this long. */
    static final int GIVE_UP_MS = 20_000;

    static RunningMiddleware app;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        app = RunningMiddleware.start(Map.of(
                "failover.http.header-timeout-ms", String.valueOf(CLIENT_TIMEOUT_MS),
                "failover.http.body-timeout-ms", String.valueOf(CLIENT_TIMEOUT_MS)));
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    // ---- nothing from a request in a response header ------------------------------------------------------------

    static final List<String> REFLECTABLE = List.of("Set-Cookie", "Refresh", "Location", "Access-Control-Allow-Origin");

    @Test
    void queryParametersNamedLikeResponseHeadersAreNotReflectedWithOrWithoutAToken() throws Exception {
        for (String name : REFLECTABLE) {
            String query = "?" + name + "=sid%3Dattacker&" + name.toLowerCase() + "=0%3Burl%3Dhttps%3A%2F%2Fevil.example";
            for (String token : new String[]{null, ADMIN_TOKEN}) {
                HttpResponse<String> r = send(get("/status" + query, token));
                assertThat(r.statusCode()).isEqualTo(token == null ? 401 : 200);
                assertNothingReflected(r, name);
            }
        }
    }

    @Test
    void formFieldsNamedLikeResponseHeadersAreNotReflected() throws Exception {
        // no endpoint takes a form: refused before a route (with GET too, where Vert.x's body handler would throw)
        for (String name : REFLECTABLE) {
            String form = name + "=sid%3Dattacker";
            for (String token : new String[]{null, ADMIN_TOKEN}) {
                for (String[] call : new String[][]{{"GET", "/status"}, {"POST", "/failover"}, {"POST", "/events"}}) {
                    HttpResponse<String> r = send(withBody(call[0], call[1], token, "application/x-www-form-urlencoded", form));
                    assertJsonError(r, 415);
                    assertNothingReflected(r, name);
                }
                HttpResponse<String> multipart = send(withBody("GET", "/status", token, "multipart/form-data; boundary=b",
                        "--b\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\nsid=attacker\r\n--b--\r\n"));
                assertJsonError(multipart, 415);
                assertNothingReflected(multipart, name);
            }
        }
    }

    @Test
    void aTokenInTheQueryStringIsNotABearerToken() throws Exception {
        assertJsonError(send(get("/status?Authorization=Bearer%20" + ADMIN_TOKEN, null)), 401);
        assertJsonError(send(get("/status?authorization=Bearer%20" + ADMIN_TOKEN, null)), 401);
        // with a real but weaker token in the header, the query's admin token does not lift it
        assertJsonError(send(get("/status?Authorization=Bearer%20" + ADMIN_TOKEN, CONTEXT_TOKEN)), 403);
    }

    @Test
    void aTokenInAFormFieldIsNotABearerToken() throws Exception {
        String form = "Authorization=Bearer+" + ADMIN_TOKEN;
        assertJsonError(send(withBody("GET", "/status", null, "application/x-www-form-urlencoded", form)), 415);
        assertJsonError(send(withBody("POST", "/failover", null, "application/x-www-form-urlencoded",
                form + "&reason=x&dryRun=true")), 415);
    }

    @Test
    void theAuthorizationHeaderStillWorksAndQueryLimitIsStillRead() throws Exception {
        HttpResponse<String> r = send(get("/runs?limit=1", ADMIN_TOKEN));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(r.body()).get("runs").isArray()).isTrue();
    }

    /** Parameter names and values that are not legal in a header (raw, as a client can send them). */
    @ParameterizedTest
    @ValueSource(strings = {"a%3Ab=1", "a=%00", "%00=1", "a=%C3%A9", "%C3%A9=1", "a=%0D%0ASet-Cookie:%20x=1",
            "a%0D%0Ab=1", "a%20b=1", "=1", "a=%FF", "limit=%00", "limit=%0D%0A"})
    void illegalHeaderNamesOrValuesInTheQueryNeverCauseA5xx(String query) throws Exception {
        for (String path : new String[]{"/status", "/runs", "/context/%2B13175550142", "/routing/queues/q1/decision"}) {
            for (String token : new String[]{null, ADMIN_TOKEN}) {
                HttpResponse<String> r = send(get(path + "?" + query, token));
                assertThat(r.statusCode()).as(path + "?" + query + " -> " + r.body()).isLessThan(500);
                assertJsonBody(r);
                assertThat(r.headers().map().keySet()).allSatisfy(h -> assertThat(h.toLowerCase())
                        .isIn("content-type", "content-length", "transfer-encoding", "retry-after", "location", "connection"));
            }
        }
    }

    // ---- JSON endpoints take JSON ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"application/x-www-form-urlencoded", "multipart/form-data; boundary=XyZ", "text/xml",
            "text/plain", "application/xml", "none"})
    void postEventsInAnotherContentTypeIs415AndStoresNothing(String contentType) throws Exception {
        String phone = "+1317555" + String.format("%04d", Math.abs(contentType.hashCode()) % 10000);
        String event = "{\"eventId\":\"ct-" + contentType.hashCode() + "\",\"type\":\"CallStarted\",\"platform\":\"genesys\","
                + "\"callId\":\"call-ct\",\"phoneNumber\":\"" + phone + "\",\"timestamp\":\"" + Instant.now().minusSeconds(60) + "\"}";
        String body = switch (contentType) {
            case "application/x-www-form-urlencoded" -> "phoneNumber=" + phone.replace("+", "%2B") + "&event=" + event;
            case "multipart/form-data; boundary=XyZ" -> "--XyZ\r\nContent-Disposition: form-data; name=\"phoneNumber\"\r\n\r\n"
                    + phone + "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"event\"\r\n\r\n" + event + "\r\n--XyZ--\r\n";
            default -> event;
        };
        HttpResponse<String> r = send(withBody("POST", "/events", INGEST_TOKEN, contentType.equals("none") ? null : contentType, body));
        JsonNode error = assertJsonError(r, 415);
        assertThat(error.get("field").asText()).isEqualTo("Content-Type");
        assertThat(r.body()).doesNotContain(phone.substring(2));

        HttpResponse<String> context = app.get("/context/" + phone.replace("+", "%2B"), CONTEXT_TOKEN);
        assertThat(context.statusCode()).as(context.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(context.body()).get("previousInteractions")).isEmpty();
    }

    @Test
    void jsonWithACharsetIsStillJson() throws Exception {
        HttpResponse<String> r = send(withBody("POST", "/failover", ADMIN_TOKEN, "application/json; charset=utf-8",
                "{\"reason\":\"charset check\",\"dryRun\":true}"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void theSnsEndpointStillTakesSnsTextPlainButNotXml() throws Exception {
        HttpResponse<String> sns = send(withBody("POST", "/events/sns", null, "text/plain; charset=UTF-8", "{\"Type\":\"Notification\"}"));
        assertThat(sns.statusCode()).as(sns.body()).isNotEqualTo(415).isLessThan(500);
        assertJsonBody(sns);
        assertJsonError(send(withBody("POST", "/events/sns", null, "application/xml", "<x/>")), 415);
    }

    // ---- the HTTP layer's own refusals have the JSON error body -----------------------------------------------------

    @Test
    void aBadPercentEscapeIs400WithAJsonBody() throws Exception {
        assertJsonError(rawExchange("GET /status?a=%zz HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
        assertJsonError(rawExchange("GET /context/%zz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + CONTEXT_TOKEN
                + "\r\n\r\n"), 400);
    }

    @Test
    void aTooLongRequestLineIs414WithAJsonBody() throws Exception {
        assertJsonError(rawExchange("GET /status?a=" + "x".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414);
    }

    @Test
    void tooLargeHeadersAre431WithAJsonBody() throws Exception {
        assertJsonError(rawExchange("GET /status HTTP/1.1\r\nHost: x\r\nX-Big: " + "x".repeat(9000) + "\r\n\r\n"), 431);
    }

    @Test
    void aMalformedRequestIs400WithAJsonBody() throws Exception {
        assertJsonError(rawExchange("GET /status HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n"), 400);
    }

    @Test
    void aBadEscapeInTheQueryOfAManagementEndpointIs400NotA500() throws Exception {
        assertJsonError(rawExchange("GET /observe/health?a=%u0041 HTTP/1.1\r\nHost: x\r\n\r\n"), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/9.9", "http/1.1", "HTTP/2.0", "HTTP/1.2"})
    void anHttpVersionOtherThan10Or11Is400WithAJsonBodyNot501(String version) throws Exception {
        JsonNode body = assertJsonError(rawExchange("GET /status " + version + "\r\nHost: x\r\nAuthorization: Bearer "
                + ADMIN_TOKEN + "\r\n\r\n"), 400);
        assertThat(body.path("message").asText()).contains("HTTP version");
    }

    @Test
    void twoHostHeadersAre400AndTheRequestIsNotServed() throws Exception {
        JsonNode body = assertJsonError(rawExchange("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n"
                + "Authorization: Bearer " + ADMIN_TOKEN + "\r\n\r\n"), 400);
        assertThat(body.path("field").asText()).isEqualTo("Host");
        assertThat(body.has("state")).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"POST /events, test-ingest-token", "POST /events, test-context-token", "POST /observe/jolokia, test-admin-token",
            "POST /observe/jolokia, test-ingest-token", "GET /observe/jolokia, test-ingest-token"})
    void aMalformedChunkIsAnsweredNotADroppedConnection(String request, String token) throws Exception {
        HttpResponse<String> r = rawExchange(request + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "zz\r\n{}\r\n0\r\n\r\n");
        assertThat(r.statusCode()).as(r.body()).isBetween(400, 499);
        assertJsonBody(r);
    }

    @Test
    void wrongMethodAndUnacceptableAcceptHaveJsonBodies() throws Exception {
        assertJsonError(send(HttpRequest.newBuilder(app.uri("/status")).method("DELETE", HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build()), 405);
        assertJsonError(send(HttpRequest.newBuilder(app.uri("/status")).header("Accept", "text/html")
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build()), 406);
    }

    // ---- slow and idle clients ---------------------------------------------------------------------------------------

    @Test
    void aConnectionThatSendsNothingIsClosed() throws Exception {
        try (Socket s = connect()) {
            assertThat(readUntilClosed(s.getInputStream())).isEmpty();
        }
    }

    @Test
    void aTrickledRequestHeadIsCutOff() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write("GET /status HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            long until = System.currentTimeMillis() + GIVE_UP_MS;
            boolean cut = false;
            while (!cut && System.currentTimeMillis() < until) {
                try {
                    out.write('X');
                    out.flush();
                    Thread.sleep(200);
                    cut = s.getInputStream().available() == 0 && peekClosed(s);
                } catch (IOException e) {
                    cut = true; // reset by the server
                }
            }
            assertThat(cut).as("the server closed the connection before the head was complete").isTrue();
        }
    }

    @Test
    void anUnfinishedBodyIsAnswered408WithAJsonBody() throws Exception {
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + INGEST_TOKEN
                    + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n[").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            HttpResponse<String> answer = parse(readUntilClosed(s.getInputStream()));
            JsonNode error = assertJsonError(answer, 408);
            assertThat(error.get("field").asText()).isEqualTo("body");
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        // header and body timers far away: only the idle timeout can close this connection in time
        try (RunningMiddleware idle = RunningMiddleware.start(Map.of("failover.http.idle-timeout-ms", "1000",
                "failover.http.header-timeout-ms", "600000", "failover.http.body-timeout-ms", "600000"));
             Socket s = new Socket("127.0.0.1", idle.uri("/").getPort())) {
            s.setSoTimeout(GIVE_UP_MS);
            assertThat(readUntilClosed(s.getInputStream())).isEmpty();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------------------

    static HttpRequest get(String pathAndQuery, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.uri("") + pathAndQuery)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    static HttpRequest withBody(String method, String path, String token, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static void assertNothingReflected(HttpResponse<String> r, String name) {
        assertThat(r.headers().firstValue(name)).as(name + " on a " + r.statusCode()).isEmpty();
        r.headers().map().forEach((k, values) -> assertThat(values).as(k)
                .noneSatisfy(v -> assertThat(v).containsAnyOf("attacker", "evil.example")));
    }

    static JsonNode assertJsonError(HttpResponse<String> r, int status) throws IOException {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode body = assertJsonBody(r);
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("message").asText()).isNotBlank();
        return body;
    }

    static JsonNode assertJsonBody(HttpResponse<String> r) throws IOException {
        assertThat(r.headers().firstValue("Content-Type")).as(r.statusCode() + " " + r.body())
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return Json.MAPPER.readTree(r.body());
    }

    static Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", app.uri("/").getPort());
        s.setSoTimeout(GIVE_UP_MS);
        return s;
    }

    /** Sends raw bytes (what a client library would refuse to send) and reads the answer until the server closes. */
    static HttpResponse<String> rawExchange(String request) throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return parse(readUntilClosed(s.getInputStream()));
        }
    }

    /** Everything the server sends until it closes the connection; fails if it keeps it open past GIVE_UP_MS. */
    static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                got.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + GIVE_UP_MS + " ms; got: " + got, e);
        } catch (IOException reset) {
            // a reset after the answer is a close too
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private static boolean peekClosed(Socket s) throws IOException {
        int old = s.getSoTimeout();
        s.setSoTimeout(1);
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } finally {
            s.setSoTimeout(old);
        }
    }

    /** A raw HTTP/1.1 answer (status line, headers, body up to Content-Length) as an HttpResponse for the asserts. */
    static HttpResponse<String> parse(String raw) {
        int headEnd = raw.indexOf("\r\n\r\n");
        assertThat(headEnd).as("an HTTP answer, got: " + raw).isPositive();
        String[] lines = raw.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new java.util.ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        String body = raw.substring(headEnd + 4);
        return new RawResponse(status, java.net.http.HttpHeaders.of(headers, (a, b) -> true), body);
    }

    record RawResponse(int statusCode, java.net.http.HttpHeaders headers, String body) implements HttpResponse<String> {
        @Override public HttpRequest request() { return null; }
        @Override public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
        @Override public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
        @Override public URI uri() { return null; }
        @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    }
}
