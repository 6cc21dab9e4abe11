package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
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

class TwilioSimulatorTest {

    private static final String TRUNK = "TK0123456789abcdef0123456789abcdef";
    private static final String URLS = "/v1/Trunks/" + TRUNK + "/OriginationUrls";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TwilioSimulator sim;

    @BeforeEach
    void start() {
        sim = new TwilioSimulator(0).start();
        sim.addTrunk(TRUNK);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    // ---- helpers ----

    private HttpResponse<String> send(String method, String path, String user, String password, String contentType,
                                      String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : sim.baseUrl() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, sim.accountSid(), sim.authToken(), null, null);
    }

    private HttpResponse<String> delete(String path) throws Exception {
        return send("DELETE", path, sim.accountSid(), sim.authToken(), null, null);
    }

    private HttpResponse<String> postForm(String path, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send("POST", path, sim.accountSid(), sim.authToken(), "application/x-www-form-urlencoded", body.toString());
    }

    private static Map<String, String> validCreate() {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("Weight", "10");
        form.put("Priority", "10");
        form.put("Enabled", "true");
        form.put("FriendlyName", "genesys primary");
        form.put("SipUrl", "sip:genesys-primary.trunk.example.com");
        return form;
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> form = validCreate();
        form.put(name, value);
        return form;
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return SimulatorHttp.MAPPER.readTree(response.body());
    }

    private static void assertTwilioError(HttpResponse<String> response, int status, int code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("code").asInt()).as(response.body()).isEqualTo(code);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("message").asText()).isNotBlank();
        assertThat(body.path("more_info").asText()).isEqualTo("https://www.twilio.com/docs/errors/" + code);
    }

    // ---- auth ----

    @Test
    void requestWithoutCredentialsIsRefusedWithAuthenticate() throws Exception {
        HttpResponse<String> response = send("GET", URLS, null, null, null, null);
        assertTwilioError(response, 401, 20003);
        assertThat(json(response).path("message").asText()).isEqualTo("Authenticate");
    }

    @Test
    void wrongAuthTokenIsRefused() throws Exception {
        assertTwilioError(send("GET", URLS, sim.accountSid(), "not-the-token", null, null), 401, 20003);
        assertTwilioError(send("GET", URLS, sim.apiKeySid(), sim.authToken(), null, null), 401, 20003);
    }

    @Test
    void accountSidWithAuthTokenAndApiKeyWithSecretBothAuthenticate() throws Exception {
        assertThat(send("GET", URLS, sim.accountSid(), sim.authToken(), null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", URLS, sim.apiKeySid(), sim.apiKeySecret(), null, null).statusCode()).isEqualTo(200);
        assertThat(sim.accountSid()).matches("AC[0-9a-f]{32}");
        assertThat(sim.apiKeySid()).matches("SK[0-9a-f]{32}");
    }

    // ---- create ----

    @Test
    void createAnswers201WithTwilioFields() throws Exception {
        HttpResponse<String> response = postForm(URLS, validCreate());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode url = json(response);
        assertThat(url.path("sid").asText()).matches("OU[0-9a-f]{32}");
        assertThat(url.path("account_sid").asText()).isEqualTo(sim.accountSid());
        assertThat(url.path("trunk_sid").asText()).isEqualTo(TRUNK);
        assertThat(url.path("friendly_name").asText()).isEqualTo("genesys primary");
        assertThat(url.path("sip_url").asText()).isEqualTo("sip:genesys-primary.trunk.example.com");
        assertThat(url.path("priority").asInt()).isEqualTo(10);
        assertThat(url.path("weight").asInt()).isEqualTo(10);
        assertThat(url.path("enabled").isBoolean()).isTrue();
        assertThat(url.path("date_created").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(url.path("date_updated").asText()).isEqualTo(url.path("date_created").asText());
        assertThat(url.path("url").asText()).isEqualTo(sim.apiBaseUrl() + "/Trunks/" + TRUNK + "/OriginationUrls/"
                + url.path("sid").asText());
        assertThat(sim.originationUrls(TRUNK)).hasSize(1);
    }

    @Test
    void jsonBodyIsRefused() throws Exception {
        String body = SimulatorHttp.MAPPER.writeValueAsString(validCreate());
        assertTwilioError(send("POST", URLS, sim.accountSid(), sim.authToken(), "application/json", body), 400, 20001);
        assertThat(sim.originationUrls(TRUNK)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Weight", "Priority", "Enabled", "FriendlyName", "SipUrl"})
    void createWithoutARequiredParameterNamesIt(String missing) throws Exception {
        Map<String, String> form = validCreate();
        form.remove(missing);
        HttpResponse<String> response = postForm(URLS, form);
        assertTwilioError(response, 400, 20001);
        assertThat(json(response).path("message").asText()).isEqualTo("Missing required parameter " + missing + " in the post body");
    }

    @Test
    void outOfRangeValuesAreRefused() throws Exception {
        assertTwilioError(postForm(URLS, with("Priority", "-1")), 400, 20001);
        assertTwilioError(postForm(URLS, with("Priority", "65536")), 400, 20001);
        assertTwilioError(postForm(URLS, with("Priority", "ten")), 400, 20001);
        assertTwilioError(postForm(URLS, with("Weight", "0")), 400, 20001);
        assertTwilioError(postForm(URLS, with("Weight", "65536")), 400, 20001);
        assertTwilioError(postForm(URLS, with("Enabled", "yes")), 400, 20001);
        assertThat(postForm(URLS, with("Priority", "0")).statusCode()).isEqualTo(201);
        assertThat(postForm(URLS, with("Priority", "65535")).statusCode()).isEqualTo(201);
        assertThat(postForm(URLS, with("Weight", "65535")).statusCode()).isEqualTo(201);
    }

    @Test
    void sipsAndOtherSchemesAreRefused() throws Exception {
        assertTwilioError(postForm(URLS, with("SipUrl", "sips:genesys-primary.trunk.example.com")), 400, 20001);
        assertTwilioError(postForm(URLS, with("SipUrl", "genesys-primary.trunk.example.com")), 400, 20001);
        assertTwilioError(postForm(URLS, with("SipUrl", "http://genesys-primary.trunk.example.com")), 400, 20001);
        assertThat(sim.originationUrls(TRUNK)).isEmpty();
    }

    @Test
    void friendlyNameLongerThan64CharactersIsRefused() throws Exception {
        assertTwilioError(postForm(URLS, with("FriendlyName", "x".repeat(65))), 400, 20001);
        assertThat(postForm(URLS, with("FriendlyName", "x".repeat(64))).statusCode()).isEqualTo(201);
    }

    // ---- fetch, update, delete ----

    @Test
    void partialUpdateChangesOnlyTheNamedFields() throws Exception {
        String sid = sim.addOriginationUrl(TRUNK, "genesys", "sip:genesys-primary.trunk.example.com", 10, 10, true);
        HttpResponse<String> response = postForm(URLS + "/" + sid, Map.of("Priority", "20"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json(response).path("priority").asInt()).isEqualTo(20);
        assertThat(sim.originationUrls(TRUNK).get(0))
                .extracting("friendlyName", "sipUrl", "priority", "weight", "enabled")
                .containsExactly("genesys", "sip:genesys-primary.trunk.example.com", 20, 10, true);
        assertThat(json(get(URLS + "/" + sid)).path("priority").asInt()).isEqualTo(20);
    }

    @Test
    void updateValidatesLikeCreate() throws Exception {
        String sid = sim.addOriginationUrl(TRUNK, "genesys", "sip:genesys-primary.trunk.example.com", 10, 10, true);
        assertTwilioError(postForm(URLS + "/" + sid, Map.of("SipUrl", "sips:genesys-primary.trunk.example.com")), 400, 20001);
        assertTwilioError(postForm(URLS + "/" + sid, Map.of("Weight", "0")), 400, 20001);
        // a JSON body is not read: an update with nothing readable changes nothing
        assertThat(send("POST", URLS + "/" + sid, sim.accountSid(), sim.authToken(), "application/json",
                "{\"Priority\":20}").statusCode()).isEqualTo(200);
        assertThat(sim.originationUrls(TRUNK).get(0).priority()).isEqualTo(10);
    }

    @Test
    void disablingTheLastEnabledUrlIsAcceptedAndRaisesThe32010Alert() throws Exception {
        String primary = sim.addOriginationUrl(TRUNK, "genesys", "sip:genesys-primary.trunk.example.com", 10, 10, true);
        String secondary = sim.addOriginationUrl(TRUNK, "nice", "sip:nice-secondary.trunk.example.com", 20, 10, false);
        assertThat(postForm(URLS + "/" + secondary, Map.of("Enabled", "true")).statusCode()).isEqualTo(200);
        assertThat(postForm(URLS + "/" + primary, Map.of("Enabled", "false")).statusCode()).isEqualTo(200);
        assertThat(sim.alerts(TRUNK)).isEmpty();
        assertThat(postForm(URLS + "/" + secondary, Map.of("Enabled", "false")).statusCode()).isEqualTo(200);
        assertThat(sim.alerts(TRUNK)).singleElement().asString().startsWith("32010").contains(secondary);
    }

    @Test
    void deletingTheLastEnabledUrlIsAcceptedAndRaisesThe32010Alert() throws Exception {
        String enabled = sim.addOriginationUrl(TRUNK, "genesys", "sip:genesys-primary.trunk.example.com", 10, 10, true);
        String disabled = sim.addOriginationUrl(TRUNK, "old", "sip:old.trunk.example.com", 30, 10, false);
        HttpResponse<String> deleted = delete(URLS + "/" + disabled);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(sim.alerts(TRUNK)).isEmpty();
        assertThat(delete(URLS + "/" + enabled).statusCode()).isEqualTo(204);
        assertThat(sim.originationUrls(TRUNK)).isEmpty();
        assertThat(sim.alerts(TRUNK)).singleElement().asString().startsWith("32010").contains(enabled);
    }

    @Test
    void unknownSidTrunkOrCasingIsNotFound() throws Exception {
        sim.addOriginationUrl(TRUNK, "genesys", "sip:genesys-primary.trunk.example.com", 10, 10, true);
        String unknownSid = "OU" + "0".repeat(32);
        assertTwilioError(get(URLS + "/" + unknownSid), 404, 20404);
        assertTwilioError(postForm(URLS + "/" + unknownSid, Map.of("Priority", "20")), 404, 20404);
        assertTwilioError(delete(URLS + "/" + unknownSid), 404, 20404);
        assertTwilioError(get("/v1/Trunks/TK" + "f".repeat(32) + "/OriginationUrls"), 404, 20404);
        assertTwilioError(get("/v1/trunks/" + TRUNK + "/originationurls"), 404, 20404);
    }

    // ---- list ----

    @Test
    void listWalksEveryUrlOnePerPageByNextPageUrl() throws Exception {
        List<String> seeded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seeded.add(sim.addOriginationUrl(TRUNK, "url " + i, "sip:sbc" + i + ".example.com", 10 + i, 10, true));
        }
        List<String> seen = new ArrayList<>();
        String next = URLS + "?PageSize=1";
        int pages = 0;
        while (next != null) {
            JsonNode page = json(get(next));
            JsonNode meta = page.path("meta");
            assertThat(meta.path("key").asText()).isEqualTo("origination_urls");
            assertThat(meta.path("page_size").asInt()).isEqualTo(1);
            assertThat(meta.path("page").asInt()).isEqualTo(pages);
            assertThat(meta.path("first_page_url").asText()).isEqualTo(sim.baseUrl() + URLS + "?PageSize=1&Page=0");
            assertThat(meta.has("previous_page_url")).isTrue();
            assertThat(meta.path("previous_page_url").isNull()).isEqualTo(pages == 0);
            assertThat(page.path("origination_urls")).hasSize(1);
            page.path("origination_urls").forEach(u -> seen.add(u.path("sid").asText()));
            next = meta.path("next_page_url").isNull() ? null : meta.path("next_page_url").asText();
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(seeded);
    }

    @Test
    void aDeleteBetweenPagesSkipsNothing() throws Exception {
        String first = sim.addOriginationUrl(TRUNK, "a", "sip:a.example.com", 10, 10, true);
        sim.addOriginationUrl(TRUNK, "b", "sip:b.example.com", 10, 10, true);
        String third = sim.addOriginationUrl(TRUNK, "c", "sip:c.example.com", 10, 10, true);
        JsonNode page = json(get(URLS + "?PageSize=1"));
        assertThat(delete(URLS + "/" + first).statusCode()).isEqualTo(204);
        JsonNode second = json(get(page.path("meta").path("next_page_url").asText()));
        JsonNode last = json(get(second.path("meta").path("next_page_url").asText()));
        assertThat(last.path("origination_urls").get(0).path("sid").asText()).isEqualTo(third);
        assertThat(last.path("meta").path("next_page_url").isNull()).isTrue();
    }

    @Test
    void defaultPageIsFiftyAndPageSizeIsBounded() throws Exception {
        JsonNode meta = json(get(URLS)).path("meta");
        assertThat(meta.path("page_size").asInt()).isEqualTo(50);
        assertThat(meta.path("next_page_url").isNull()).isTrue();
        assertTwilioError(get(URLS + "?PageSize=0"), 400, 20001);
        assertTwilioError(get(URLS + "?PageSize=1001"), 400, 20001);
        assertThat(get(URLS + "?PageSize=1000").statusCode()).isEqualTo(200);
    }

    @Test
    void requestsAreRecordedWithTheirFormBody() throws Exception {
        postForm(URLS, validCreate());
        RecordedRequest recorded = sim.requests().get(0);
        assertThat(recorded.method()).isEqualTo("POST");
        assertThat(recorded.path()).isEqualTo(URLS);
        assertThat(recorded.body()).contains("SipUrl=sip%3Agenesys-primary.trunk.example.com");
        assertThat(sim.count("POST", URLS)).isEqualTo(1);
    }
}
