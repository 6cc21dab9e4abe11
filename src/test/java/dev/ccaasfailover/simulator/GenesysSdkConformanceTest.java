package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mypurecloud.sdk.v2.ApiClient;
import com.mypurecloud.sdk.v2.ApiResponse;
import com.mypurecloud.sdk.v2.api.OrganizationApi;
import com.mypurecloud.sdk.v2.api.PresenceApi;
import com.mypurecloud.sdk.v2.api.RoutingApi;
import com.mypurecloud.sdk.v2.api.TelephonyProvidersEdgeApi;
import com.mypurecloud.sdk.v2.api.UsersApi;
import com.mypurecloud.sdk.v2.api.request.GetOrganizationsMeRequest;
import com.mypurecloud.sdk.v2.api.request.GetPresenceDefinitions0Request;
import com.mypurecloud.sdk.v2.api.request.GetRoutingQueueMembersRequest;
import com.mypurecloud.sdk.v2.api.request.GetRoutingQueuesRequest;
import com.mypurecloud.sdk.v2.api.request.GetTelephonyProvidersEdgesTrunkbasesettingRequest;
import com.mypurecloud.sdk.v2.api.request.GetUsersPresencesPurecloudBulkRequest;
import com.mypurecloud.sdk.v2.api.request.GetUsersRequest;
import com.mypurecloud.sdk.v2.api.request.PatchUserPresencesPurecloudRequest;
import com.mypurecloud.sdk.v2.api.request.PostRoutingQueueMembersRequest;
import com.mypurecloud.sdk.v2.api.request.PutTelephonyProvidersEdgesTrunkbasesettingRequest;
import com.mypurecloud.sdk.v2.extensions.AuthResponse;
import com.mypurecloud.sdk.v2.model.Organization;
import com.mypurecloud.sdk.v2.model.OrganizationPresenceDefinitionEntityListing;
import com.mypurecloud.sdk.v2.model.PresenceDefinition;
import com.mypurecloud.sdk.v2.model.QueueEntityListing;
import com.mypurecloud.sdk.v2.model.QueueMemberEntityListing;
import com.mypurecloud.sdk.v2.model.TrunkBase;
import com.mypurecloud.sdk.v2.model.UcUserPresence;
import com.mypurecloud.sdk.v2.model.UserEntityListing;
import com.mypurecloud.sdk.v2.model.UserPresence;
import com.mypurecloud.sdk.v2.model.WritableEntity;
import dev.ccaasfailover.agents.AgentOutcome;
import dev.ccaasfailover.agents.GenesysAgentsClient;
import dev.ccaasfailover.agents.SyncPlan;
import dev.ccaasfailover.agents.TargetState;
import dev.ccaasfailover.agents.RequestWindow;
import dev.ccaasfailover.agents.VendorHttp;
import dev.ccaasfailover.health.ApiLivenessProber;
import dev.ccaasfailover.health.HealthStatus;
import dev.ccaasfailover.platform.VersionedJsonFlag;
import dev.ccaasfailover.security.OAuthTokenSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Genesys simulator judged by Genesys' own SDK ({@code platform-client-v2}, generated from Genesys' API definition),
 * for every Genesys call the product makes. Each answer must parse into the SDK's model with unknown properties
 * refused, and re-serialised by the SDK must give back every raw field with the same value: the SDK otherwise drops
 * unknown fields, maps unknown enum values to {@code OutdatedSdkVersion} and misreads long date fractions, all
 * silently. And each request the product makes must be the request the SDK's API class makes for the same operation
 * (method, path, query parameters, body shape).
 */
class GenesysSdkConformanceTest {

    static final String TRUNK = "tbs-1";
    static final String QUEUE = "q-1";
    static final Pattern DATE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*");

    static GenesysSimulator sim;
    static ApiClient sdk;
    static ObjectMapper strict;
    static HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        sim = new GenesysSimulator(0).start();
        for (int i = 0; i < 105; i++) {
            String id = String.format("u-%03d", i);
            sim.addAgent(id, "Agent " + i, "agent" + i + "@example.com", i % 2 == 0 ? "Available" : "On Queue",
                    i % 3 == 0 ? "IDLE" : "OFF_QUEUE");
            sim.addQueueMember(addQueueOnce(), id);
        }
        sim.addAgent("u-new", "New Agent", "new@example.com", "Offline", "OFF_QUEUE");
        sim.omitPresenceFromExpand("u-007");
        sim.omitPresenceFromExpand("u-011");
        sim.addTrunkBaseSettings(TRUNK, "BYOC carrier", true);
        // Wiring fact: the SDK's own client-credentials login builds https://login. + the base path's host, which
        // cannot reach a loopback simulator; so the token is fetched raw and judged against the SDK's AuthResponse.
        HttpResponse<String> token = new SimulatorHttp(sim.baseUrl())
                .postForm("/oauth/token", sim.clientId(), sim.clientSecret(), "grant_type", "client_credentials");
        assertThat(token.statusCode()).isEqualTo(200);
        sdk = ApiClient.Builder.standard().withBasePath(sim.baseUrl()).withShouldThrowErrors(false).build();
        strict = sdk.getObjectMapper().copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        AuthResponse auth = conforms(token.body(), new TypeReference<AuthResponse>() { }, sdk.getObjectMapper().readValue(token.body(), AuthResponse.class));
        sdk = ApiClient.Builder.standard().withBasePath(sim.baseUrl()).withAccessToken(auth.getAccess_token())
                .withShouldThrowErrors(false).build();
    }

    private static String addQueueOnce() {
        if (sim.queueMemberIds(QUEUE).isEmpty()) {
            sim.addQueue(QUEUE, "Billing");
        }
        return QUEUE;
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @BeforeEach
    void clear() {
        sim.clearRequests();
    }

    // ---- answers: every call's answer as the SDK models it ----

    @Test
    void organizationsMeParsesIntoTheSdkModel() throws Exception {
        ApiResponse<Organization> r = new OrganizationApi(sdk).getOrganizationsMe(GetOrganizationsMeRequest.builder().build().withHttpInfo());
        judge(r, new TypeReference<Organization>() { });
        assertThat(r.getBody().getId()).isEqualTo(sim.orgId());
    }

    @Test
    void usersWithPresenceAndRoutingStatusPageByNextUriAndParse() throws Exception {
        UsersApi users = new UsersApi(sdk);
        int seen = 0;
        int pages = 0;
        for (int page = 1; ; page++) {
            ApiResponse<UserEntityListing> r = users.getUsers(GetUsersRequest.builder().withPageSize(100).withPageNumber(page)
                    .withExpand(List.of("presence", "routingStatus")).withState("active").build().withHttpInfo());
            UserEntityListing listing = judge(r, new TypeReference<UserEntityListing>() { });
            seen += listing.getEntities().size();
            pages++;
            if (page == 1) {
                assertThat(listing.getEntities().get(0).getPresence().getPresenceDefinition().getSystemPresence()).isEqualTo("Available");
                assertThat(listing.getEntities().get(0).getRoutingStatus().getStatus()).hasToString("IDLE");
                assertThat(listing.getEntities().get(0).getPresence().getModifiedDate()).isNotNull();
            }
            if (listing.getNextUri() == null) {
                break;
            }
        }
        assertThat(seen).isEqualTo(106);
        assertThat(pages).isEqualTo(2);
    }

    @Test
    void bulkPresenceParsesAsUcUserPresences() throws Exception {
        ApiResponse<List<UcUserPresence>> r = new PresenceApi(sdk).getUsersPresencesPurecloudBulk(
                GetUsersPresencesPurecloudBulkRequest.builder().withId(List.of("u-001", "u-002")).build().withHttpInfo());
        List<UcUserPresence> presences = judge(r, new TypeReference<List<UcUserPresence>>() { });
        assertThat(presences).extracting(UcUserPresence::getUserId).containsExactly("u-001", "u-002");
        assertThat(presences.get(0).getPresenceDefinition().getSystemPresence()).isEqualTo("On Queue");
    }

    @Test
    void presenceDefinitionsParseWithTheirType() throws Exception {
        ApiResponse<OrganizationPresenceDefinitionEntityListing> r = new PresenceApi(sdk).getPresenceDefinitions0(
                GetPresenceDefinitions0Request.builder().build().withHttpInfo());
        OrganizationPresenceDefinitionEntityListing defs = judge(r, new TypeReference<OrganizationPresenceDefinitionEntityListing>() { });
        assertThat(defs.getEntities()).extracting(d -> d.getType().toString()).contains("System", "User");
    }

    @Test
    void patchPresenceTakesTheSdkBodyAndAnswersAUserPresence() throws Exception {
        UserPresence body = new UserPresence().presenceDefinition(new PresenceDefinition()
                .id(GenesysSimulator.systemPresenceDefinitionId("Break")));
        ApiResponse<UserPresence> r = new PresenceApi(sdk).patchUserPresencesPurecloud(PatchUserPresencesPurecloudRequest
                .builder().withUserId("u-new").withBody(body).build().withHttpInfo());
        judge(r, new TypeReference<UserPresence>() { });
        assertThat(sim.agentById("u-new").orElseThrow().systemPresence()).isEqualTo("Break");
        sim.setPresence("u-new", "Offline");
    }

    @Test
    void queuesAndQueueMembersParseAndMembersPageWithoutTotals() throws Exception {
        RoutingApi routing = new RoutingApi(sdk);
        judge(routing.getRoutingQueues(GetRoutingQueuesRequest.builder().withPageSize(100).withPageNumber(1).build().withHttpInfo()),
                new TypeReference<QueueEntityListing>() { });
        int seen = 0;
        for (int page = 1; ; page++) {
            ApiResponse<QueueMemberEntityListing> r = routing.getRoutingQueueMembers(GetRoutingQueueMembersRequest.builder()
                    .withQueueId(QUEUE).withPageSize(100).withPageNumber(page).build().withHttpInfo());
            QueueMemberEntityListing listing = judge(r, new TypeReference<QueueMemberEntityListing>() { });
            seen += listing.getEntities().size();
            if (listing.getNextUri() == null) {
                break;
            }
        }
        assertThat(seen).isEqualTo(sim.queueMemberIds(QUEUE).size()).isGreaterThanOrEqualTo(105);
        ApiResponse<QueueMemberEntityListing> tooBig = routing.getRoutingQueueMembers(GetRoutingQueueMembersRequest.builder()
                .withQueueId(QUEUE).withPageSize(101).build().withHttpInfo());
        assertThat(tooBig.getStatusCode()).as("Genesys' maximum page size for queue members is 100").isEqualTo(400);
    }

    @Test
    void postQueueMembersTakesTheSdkBody() throws Exception {
        ApiResponse<Void> r = new RoutingApi(sdk).postRoutingQueueMembers(PostRoutingQueueMembersRequest.builder()
                .withQueueId(QUEUE).withBody(List.of(new WritableEntity().id("u-new"))).build().withHttpInfo());
        assertThat(r.getStatusCode()).as(r.getRawBody()).isBetween(200, 204);
        assertThat(sim.queueMemberIds(QUEUE)).contains("u-new");
        new RoutingApi(sdk).postRoutingQueueMembers(PostRoutingQueueMembersRequest.builder().withQueueId(QUEUE)
                .withBody(List.of(new WritableEntity().id("u-new"))).withDelete(true).build().withHttpInfo());
        assertThat(sim.queueMemberIds(QUEUE)).doesNotContain("u-new");
    }

    @Test
    void trunkBaseSettingsGetAndVersionedPutThroughTheSdk() throws Exception {
        TelephonyProvidersEdgeApi edges = new TelephonyProvidersEdgeApi(sdk);
        ApiResponse<TrunkBase> got = edges.getTelephonyProvidersEdgesTrunkbasesetting(GetTelephonyProvidersEdgesTrunkbasesettingRequest
                .builder().withTrunkBaseSettingsId(TRUNK).withIgnoreHidden(true).build().withHttpInfo());
        TrunkBase trunk = judge(got, new TypeReference<TrunkBase>() { });
        // what the terraform provider PUTs: its own fields, the version just read (the model's id is read-only)
        TrunkBase put = new TrunkBase().name(trunk.getName()).trunkMetabase(trunk.getTrunkMetabase())
                .trunkType(trunk.getTrunkType()).managed(trunk.getManaged()).properties(trunk.getProperties())
                .inboundSite(trunk.getInboundSite()).version(trunk.getVersion());
        ApiResponse<TrunkBase> saved = edges.putTelephonyProvidersEdgesTrunkbasesetting(PutTelephonyProvidersEdgesTrunkbasesettingRequest
                .builder().withTrunkBaseSettingsId(TRUNK).withBody(put).build().withHttpInfo());
        assertThat(judge(saved, new TypeReference<TrunkBase>() { }).getVersion()).isEqualTo(trunk.getVersion() + 1);
        ApiResponse<TrunkBase> stale = edges.putTelephonyProvidersEdgesTrunkbasesetting(PutTelephonyProvidersEdgesTrunkbasesettingRequest
                .builder().withTrunkBaseSettingsId(TRUNK).withBody(put).build().withHttpInfo());
        assertThat(stale.getStatusCode()).as("a stale version is refused").isEqualTo(409);
    }

    // ---- requests: the product asks what the SDK asks ----

    @Test
    void theRostersRequestsAreTheSdksRequests() throws Exception {
        agentsClient().roster("source", List.of(QUEUE));
        List<String> product = lines().stream().filter(l -> !l.startsWith("POST /oauth/token")).toList();
        sim.clearRequests();
        UsersApi users = new UsersApi(sdk);
        for (int page = 1; page <= 2; page++) {
            users.getUsers(GetUsersRequest.builder().withPageSize(100).withPageNumber(page)
                    .withExpand(List.of("presence", "routingStatus")).withState("active").build().withHttpInfo());
        }
        new PresenceApi(sdk).getUsersPresencesPurecloudBulk(GetUsersPresencesPurecloudBulkRequest.builder()
                .withId(List.of("u-007", "u-011")).build().withHttpInfo());
        new RoutingApi(sdk).getRoutingQueues(GetRoutingQueuesRequest.builder().withPageSize(100).withPageNumber(1).build().withHttpInfo());
        for (int page = 1; page <= 2; page++) {
            new RoutingApi(sdk).getRoutingQueueMembers(GetRoutingQueueMembersRequest.builder().withQueueId(QUEUE)
                    .withPageSize(100).withPageNumber(page).build().withHttpInfo());
        }
        assertThat(product).containsExactlyInAnyOrderElementsOf(lines());
    }

    @Test
    void theFailbackWritesAreTheSdksRequestsWithBodiesTheSdkModels() throws Exception {
        SyncPlan plan = new SyncPlan("failback", "nice", "genesys", false, false, List.of(new SyncPlan.Item(
                "new@example.com", "1", "u-new", "Unavailable", TargetState.of("MEAL"), TargetState.of("OFFLINE"),
                Map.of(QUEUE, 1))), List.of(), List.of());
        List<AgentOutcome> outcomes = agentsClient().apply(plan, false);
        assertThat(outcomes).as(outcomes.toString()).extracting(AgentOutcome::outcome).containsExactly(AgentOutcome.UPDATED);
        List<RecordedRequest> product = List.copyOf(sim.requests());
        for (RecordedRequest r : product) {
            if (r.method().equals("PATCH")) {
                strict.readValue(r.body(), UserPresence.class);
            } else if (r.method().equals("POST") && r.path().startsWith("/api/v2/routing/")) {
                strict.readValue(r.body(), new TypeReference<List<WritableEntity>>() { });
            }
        }
        List<String> productLines = lines().stream().filter(l -> !l.startsWith("POST /oauth/token")).toList();
        sim.clearRequests();
        new PresenceApi(sdk).getPresenceDefinitions0(GetPresenceDefinitions0Request.builder().build().withHttpInfo());
        for (int page = 1; page <= 2; page++) {
            new RoutingApi(sdk).getRoutingQueueMembers(GetRoutingQueueMembersRequest.builder().withQueueId(QUEUE)
                    .withPageSize(100).withPageNumber(page).build().withHttpInfo());
        }
        new RoutingApi(sdk).postRoutingQueueMembers(PostRoutingQueueMembersRequest.builder().withQueueId(QUEUE)
                .withBody(List.of(new WritableEntity().id("u-new"))).build().withHttpInfo());
        new PresenceApi(sdk).patchUserPresencesPurecloud(PatchUserPresencesPurecloudRequest.builder().withUserId("u-new")
                .withBody(new UserPresence().presenceDefinition(new PresenceDefinition()
                        .id(GenesysSimulator.systemPresenceDefinitionId("Meal")))).build().withHttpInfo());
        assertThat(productLines).containsExactlyInAnyOrderElementsOf(lines());
        assertThat(sim.agentById("u-new").orElseThrow().presenceDefinitionId())
                .isEqualTo(GenesysSimulator.systemPresenceDefinitionId("Meal"));
        new RoutingApi(sdk).postRoutingQueueMembers(PostRoutingQueueMembersRequest.builder().withQueueId(QUEUE)
                .withBody(List.of(new WritableEntity().id("u-new"))).withDelete(true).build().withHttpInfo());
        sim.setPresence("u-new", "Offline");
    }

    @Test
    void theTrunkSwitchAndTheLivenessProbeAreTheSdksRequests() throws Exception {
        OAuthTokenSource tokens = tokens();
        VersionedJsonFlag trunks = new VersionedJsonFlag("genesys", URI.create(sim.baseUrl()), List.of(TRUNK), tokens, http,
                Duration.ofSeconds(5));
        // the route file's arguments (routes/platform-genesys.camel.yaml)
        String path = "/api/v2/telephony/providers/edges/trunkbasesettings/{id}";
        String fields = "id,name,description,version,trunkMetabase,properties,trunkType,managed,inboundSite";
        boolean enabled = sim.trunkEnabled(TRUNK);
        trunks.set(path, "?ignoreHidden=true", fields, "/properties/trunk_enabled/value/instance", !enabled);
        assertThat(new ApiLivenessProber(URI.create(sim.baseUrl() + "/api/v2/organizations/me"), tokens, http)
                .probe(Duration.ofSeconds(5)).status()).isEqualTo(HealthStatus.Up);
        List<RecordedRequest> product = List.copyOf(sim.requests());
        RecordedRequest put = product.stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
        strict.readValue(put.body(), TrunkBase.class);
        RecordedRequest token = product.stream().filter(r -> r.path().equals("/oauth/token")).findFirst().orElseThrow();
        // the SDK's authorizeClientCredentials: Basic client id:secret, form grant_type=client_credentials
        assertThat(token.method()).isEqualTo("POST");
        assertThat(token.header("Authorization")).startsWith("Basic ");
        assertThat(token.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(token.body()).isEqualTo("grant_type=client_credentials");
        List<String> productLines = lines().stream().filter(l -> !l.startsWith("POST /oauth/token")).toList();
        sim.clearRequests();
        TelephonyProvidersEdgeApi edges = new TelephonyProvidersEdgeApi(sdk);
        edges.getTelephonyProvidersEdgesTrunkbasesetting(GetTelephonyProvidersEdgesTrunkbasesettingRequest.builder()
                .withTrunkBaseSettingsId(TRUNK).withIgnoreHidden(true).build().withHttpInfo());
        edges.putTelephonyProvidersEdgesTrunkbasesetting(PutTelephonyProvidersEdgesTrunkbasesettingRequest.builder()
                .withTrunkBaseSettingsId(TRUNK).withBody(strict.readValue(put.body(), TrunkBase.class).version(sim.trunkVersion(TRUNK)))
                .build().withHttpInfo());
        new OrganizationApi(sdk).getOrganizationsMe(GetOrganizationsMeRequest.builder().build().withHttpInfo());
        assertThat(productLines).containsExactlyInAnyOrderElementsOf(lines());
    }

    @Test
    void theJudgeCatchesWhatACleanParseHides() throws Exception {
        // nine fractional digits (Instant.toString()): the SDK reads them as milliseconds, hours to days off
        assertThatThrownBy(() -> conforms("{\"id\":\"u\",\"modifiedDate\":\"2026-12-03T10:00:00.123456789Z\"}",
                new TypeReference<UserPresence>() { }, sdk.getObjectMapper().readValue(
                        "{\"id\":\"u\",\"modifiedDate\":\"2026-12-03T10:00:00.123456789Z\"}", UserPresence.class)))
                .hasMessageContaining("/modifiedDate: date 2026-12-03T10:00:00.123456789Z read by the SDK as");
        // a field the model does not have (the SDK would drop it silently)
        String unknown = "{\"id\":\"o\",\"deletable\":false}";
        assertThatThrownBy(() -> conforms(unknown, new TypeReference<Organization>() { },
                sdk.getObjectMapper().readValue(unknown, Organization.class))).hasMessageContaining("deletable");
        // an enum value the model does not know (the SDK would read OutdatedSdkVersion)
        String status = "{\"userId\":\"u\",\"status\":\"ON_BREAK\"}";
        com.mypurecloud.sdk.v2.model.RoutingStatus parsed = sdk.getObjectMapper().readValue(status,
                com.mypurecloud.sdk.v2.model.RoutingStatus.class);
        assertThat(parsed.getStatus()).hasToString("OutdatedSdkVersion");
        assertThatThrownBy(() -> conforms(status, new TypeReference<com.mypurecloud.sdk.v2.model.RoutingStatus>() { }, parsed))
                .hasMessageContaining("/status: 'ON_BREAK' is not a value of the SDK's enum");
    }

    // ---- the judge ----

    /** Parses the raw answer strictly and compares it with what the SDK made of it; returns the SDK's object. */
    static <T> T judge(ApiResponse<T> r, TypeReference<T> type) throws Exception {
        assertThat(r.getStatusCode()).as("the simulator refused the SDK's request: " + r.getRawBody()).isBetween(200, 299);
        assertThat(r.getException()).as("the SDK could not read the answer").isNull();
        return conforms(r.getRawBody(), type, r.getBody());
    }

    static <T> T conforms(String raw, TypeReference<T> type, T parsed) throws Exception {
        assertThat(parsed).as("the SDK parsed nothing from " + raw).isNotNull();
        strict.readValue(raw, type); // an unknown property throws
        JsonNode rawTree = strict.readTree(raw);
        JsonNode sdkTree = strict.readTree(sdk.getObjectMapper().writeValueAsString(parsed));
        List<String> differences = new ArrayList<>();
        compare("", rawTree, sdkTree, differences);
        if (!differences.isEmpty()) {
            fail("the SDK's model does not read the simulator's answer as written:\n  " + String.join("\n  ", differences));
        }
        return parsed;
    }

    /** Every raw field must come back from the SDK's model with the same value (dates: the same instant). */
    static void compare(String at, JsonNode raw, JsonNode sdkView, List<String> differences) {
        if (sdkView == null || sdkView.isMissingNode() || sdkView.isNull()) {
            if (!raw.isNull()) {
                differences.add(at + ": dropped by the SDK (unknown to its model)");
            }
            return;
        }
        if (sdkView.isTextual() && sdkView.asText().equals("OutdatedSdkVersion")) {
            differences.add(at + ": '" + raw.asText() + "' is not a value of the SDK's enum (OutdatedSdkVersion)");
            return;
        }
        if (raw.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = raw.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                compare(at + "/" + f.getKey(), f.getValue(), sdkView.get(f.getKey()), differences);
            }
        } else if (raw.isArray()) {
            if (sdkView.size() != raw.size()) {
                differences.add(at + ": " + raw.size() + " elements, the SDK read " + sdkView.size());
                return;
            }
            for (int i = 0; i < raw.size(); i++) {
                compare(at + "/" + i, raw.get(i), sdkView.get(i), differences);
            }
        } else if (raw.isNumber() && sdkView.isNumber()) {
            if (raw.decimalValue().compareTo(sdkView.decimalValue()) != 0) {
                differences.add(at + ": " + raw + " read as " + sdkView);
            }
        } else if (raw.isTextual() && DATE.matcher(raw.asText()).matches()) {
            Instant written = instant(raw.asText());
            Instant read = instant(sdkView.asText());
            if (written == null || !written.equals(read)) {
                differences.add(at + ": date " + raw.asText() + " read by the SDK as " + sdkView.asText());
            }
        } else if (!raw.asText().equals(sdkView.asText()) || raw.getNodeType() != sdkView.getNodeType()) {
            differences.add(at + ": " + raw + " read as " + sdkView);
        }
    }

    static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ---- the product's clients and the request log ----

    static OAuthTokenSource tokens() {
        return OAuthTokenSource.clientCredentials("genesys", URI.create(sim.tokenUrl()), sim.clientId(), sim.clientSecret(),
                http, Clock.systemUTC());
    }

    static GenesysAgentsClient agentsClient() {
        Clock clock = Clock.systemUTC();
        return new GenesysAgentsClient(new VendorHttp("genesys", sim.baseUrl(), tokens(), http,
                new RequestWindow(1000, Duration.ofMinutes(1), clock, RequestWindow.Sleeper.REAL), 3, Duration.ofSeconds(10),
                clock, RequestWindow.Sleeper.REAL), () -> dev.ccaasfailover.testsupport.RouteEndpoints.of("genesys"), 2);
    }

    /** The simulator's requests since the last clear as "METHOD path name=value&..." with the parameters decoded and sorted. */
    static List<String> lines() {
        return sim.requests().stream().map(r -> r.method() + " " + r.path() + query(r.query())).toList();
    }

    static String query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        TreeMap<String, List<String>> params = new TreeMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return " " + params;
    }
}
