package dev.ccaasfailover.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.ccaasfailover.agents.RequestWindow;
import dev.ccaasfailover.agents.VendorHttp;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.routing.NiceSkillActivityClient;
import dev.ccaasfailover.security.OAuthTokenSource;
import dev.ccaasfailover.testsupport.RouteEndpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Vendor answers are read by the tolerant reader (Json.VENDOR): Genesys and NICE add fields without notice, and a
 * field we do not know must not fail a token fetch, a listing or a failover. The strict reader stays for client input.
 * The bodies are the vendors' real shapes (docs/vendor-apis.md §1, §3, §5) plus fields no model of ours knows.
 */
class VendorAnswersTest {

    /** Genesys' AuthResponse (access_token, token_type, expires_in, refresh_token, error) and a field added later. */
    static final String TOKEN = "{\"access_token\":\"tok-1\",\"token_type\":\"bearer\",\"expires_in\":86400,"
            + "\"refresh_token\":null,\"error\":null,\"scope\":\"presence routing\",\"org\":{\"region\":\"us-east-1\"}}";

    /** A UserEntityListing page: entities with presence expanded, paging fields, and unknown ones at both levels. */
    static final String USERS = "{\"entities\":[{\"id\":\"u-1\",\"name\":\"Ann\",\"email\":\"ann@example.com\",\"state\":\"active\","
            + "\"presence\":{\"presenceDefinition\":{\"id\":\"p-avail\",\"systemPresence\":\"Available\",\"selfUri\":\"/x\"}},"
            + "\"routingStatus\":{\"userId\":\"u-1\",\"status\":\"IDLE\",\"startTime\":\"2026-05-01T10:00:00.000Z\"},"
            + "\"brandNewField\":{\"nested\":[1,2,3]},\"version\":7}],"
            + "\"pageSize\":100,\"pageNumber\":1,\"firstUri\":\"/first\",\"selfUri\":\"/self\",\"nextUri\":null,"
            + "\"listingHint\":\"added-by-vendor\"}";

    /** NICE's skill activity wrapper; the item carries a field of a later API version and the spec's misspelling. */
    static final String SKILL_ACTIVITY = "{\"lastPollTime\":\"2026-05-01T10:00:00.000Z\",\"totalRecords\":1,"
            + "\"skillActivity\":[{\"skillId\":4001,\"skillName\":\"Billing\",\"agentsLoggedIn\":10,\"agentsWorking\":7,"
            + "\"agentsACW\":1,\"agentsAvailable\":2,\"queueCount\":3,\"agentsAvaliable\":2,\"v34OnlyField\":true}]}";

    record TokenAnswer(String access_token, long expires_in) {
    }

    HttpServer server;
    final Map<String, String> answers = new ConcurrentHashMap<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final Clock clock = Clock.systemUTC();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String body = answers.getOrDefault(ex.getRequestURI().getPath(), "{}");
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        answers.put("/oauth/token", TOKEN);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    OAuthTokenSource tokens() {
        return OAuthTokenSource.clientCredentials("genesys", URI.create(base() + "/oauth/token"), "id", "secret", http, clock);
    }

    VendorHttp vendor(String name) {
        return new VendorHttp(name, base(), tokens(), http, new RequestWindow(100, Duration.ofMinutes(1), clock,
                RequestWindow.Sleeper.REAL), 1, Duration.ofSeconds(5), clock, RequestWindow.Sleeper.REAL);
    }

    @Test
    void aTokenAnswerWithFieldsWeDoNotKnowStillGivesItsToken() throws Exception {
        assertThat(tokens().token(Duration.ofSeconds(5))).isEqualTo("tok-1");
        // the same answer, bound to a type: the vendor reader ignores what the type does not name; the strict one refuses
        assertThat(Json.VENDOR.readValue(TOKEN, TokenAnswer.class)).isEqualTo(new TokenAnswer("tok-1", 86400));
        assertThatThrownBy(() -> Json.MAPPER.readValue(TOKEN, TokenAnswer.class)).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void aGenesysListingWithNewFieldsIsReadWhole() {
        answers.put("/api/v2/users", USERS);
        JsonNode page = vendor("genesys").get(RouteEndpoints.of("genesys").path("users") + "&pageSize=100&pageNumber=1");
        assertThat(page.path("entities")).hasSize(1);
        JsonNode user = page.path("entities").get(0);
        assertThat(user.path("email").asText()).isEqualTo("ann@example.com");
        assertThat(user.path("presence").path("presenceDefinition").path("systemPresence").asText()).isEqualTo("Available");
        assertThat(page.path("pageSize").asInt()).isEqualTo(100);
    }

    @Test
    void aNiceSkillActivityItemWithAFieldOfALaterVersionStillCounts() {
        answers.put("/skills/activity", SKILL_ACTIVITY);
        VendorEndpoints nice = RouteEndpoints.of("nice");
        JsonNode all = new NiceSkillActivityClient(vendor("nice"), () -> nice).read();
        assertThat(all.path("skillActivity")).hasSize(1);
        assertThat(all.path("skillActivity").get(0).path("agentsLoggedIn").asInt()).isEqualTo(10);
        assertThat(all.path("skillActivity").get(0).path("queueCount").asInt()).isEqualTo(3);
    }

    @Test
    void aVendorQuirkThatTheStrictReaderRefusesDoesNotFailTheCall() {
        // a repeated key and a trailing newline-separated value: refused from a client, tolerated from a vendor
        String quirky = "{\"entities\":[],\"pageSize\":100,\"pageSize\":100}\n{}";
        answers.put("/api/v2/routing/queues", quirky);
        assertThatThrownBy(() -> Json.MAPPER.readTree(quirky)).isInstanceOf(JsonProcessingException.class);
        JsonNode page = vendor("genesys").get(RouteEndpoints.of("genesys").path("queues") + "?pageSize=100&pageNumber=1");
        assertThat(page.path("pageSize").asInt()).isEqualTo(100);
    }

    @Test
    void theRequestBodiesOfTheRouteFilesHaveTheVendorsShapes() {
        VendorEndpoints genesys = RouteEndpoints.of("genesys").requireBodies(dev.ccaasfailover.agents.GenesysAgentsClient.BODIES);
        assertThat(Json.write(genesys.body("userPresence", "definitionId", "p-1")))
                .isEqualTo("{\"presenceDefinition\":{\"id\":\"p-1\"}}");
        assertThat(Json.write(genesys.body("queueMembersAdd", "members",
                List.of(genesys.body("queueMember", "userId", "u-1"), genesys.body("queueMember", "userId", "u-2")))))
                .isEqualTo("[{\"id\":\"u-1\"},{\"id\":\"u-2\"}]");
        VendorEndpoints nice = RouteEndpoints.of("nice").requireBodies(dev.ccaasfailover.agents.NiceAgentsClient.BODIES);
        JsonNode skill = nice.body("skill", "skillId", "4001", "proficiency", 3);
        assertThat(Json.write(nice.body("agentSkills", "skills", List.of(skill))))
                .isEqualTo("{\"skills\":[{\"skillId\":\"4001\",\"proficiency\":3,\"isActive\":true}]}");
        assertThat(Json.write(nice.body("bulkSkills", "agentIds", List.of("7", "8"), "skills", List.of(skill))))
                .isEqualTo("{\"agentAndSkillDetails\":[{\"agentIds\":[\"7\",\"8\"],\"skills\":[{\"skillId\":\"4001\","
                        + "\"proficiency\":3,\"isActive\":true}]}]}");
        assertThatThrownBy(() -> nice.body("skill", "skillId", "4001")).hasMessageContaining("{proficiency}");
    }

    @Test
    void everyEndpointTheClientsUseIsDeclaredInTheRouteFiles() {
        RouteEndpoints.of("genesys").require(dev.ccaasfailover.agents.GenesysAgentsClient.ENDPOINTS);
        RouteEndpoints.of("nice").require(dev.ccaasfailover.agents.NiceAgentsClient.ENDPOINTS).require("skillActivity");
        assertThat(RouteEndpoints.of("genesys").path("queueMembers", "queueId", "q 1/2"))
                .isEqualTo("/api/v2/routing/queues/q+1%2F2/members");
        assertThatThrownBy(() -> RouteEndpoints.of("nice").require("noSuchEndpoint"))
                .hasMessageContaining("noSuchEndpoint").hasMessageContaining("routes/platform-nice.camel.yaml");
        assertThat(List.of(RouteEndpoints.of("nice").path("agentStatesSince", "since", "2026-05-01T10:00:00Z")))
                .containsExactly("/agents/states?updatedSince=2026-05-01T10%3A00%3A00Z");
    }
}
