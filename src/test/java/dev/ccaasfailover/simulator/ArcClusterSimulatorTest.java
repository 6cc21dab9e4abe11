package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.route53recoverycluster.model.ThrottlingException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53recoverycluster.Route53RecoveryClusterClient;
import software.amazon.awssdk.services.route53recoverycluster.model.ConflictException;
import software.amazon.awssdk.services.route53recoverycluster.model.ResourceNotFoundException;
import software.amazon.awssdk.services.route53recoverycluster.model.RoutingControl;
import software.amazon.awssdk.services.route53recoverycluster.model.RoutingControlState;
import software.amazon.awssdk.services.route53recoverycluster.model.ValidationException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ARC cluster simulator on the wire: plain HTTP for what the SDK would never send, the real SDK client for the rest. */
class ArcClusterSimulatorTest {

    static final String PANEL = "arn:aws:route53-recovery-control::123456789012:controlpanel/0123456789abcdef0123456789abcdef";
    static final String A = PANEL + "/routingcontrol/aaaa1111bbbb2222";
    static final String B = PANEL + "/routingcontrol/cccc3333dddd4444";
    static final String RULE = PANEL + "/safetyrule/1111aaaa2222bbbb";

    ArcClusterSimulator sim;

    @BeforeEach
    void start() {
        sim = new ArcClusterSimulator("us-east-1", "eu-west-1").start();
        sim.addRoutingControl(A, "cell-a", "On");
        sim.addRoutingControl(B, "cell-b", "Off");
        sim.addAssertionRule(RULE, "at-least-one", 1, A, B);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    Route53RecoveryClusterClient client(int endpoint, String region, String secret) {
        return Route53RecoveryClusterClient.builder().endpointOverride(URI.create(sim.endpointUrl(endpoint))).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ArcClusterSimulator.ACCESS_KEY, secret)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    Route53RecoveryClusterClient client(int endpoint) {
        return client(endpoint, sim.region(endpoint), ArcClusterSimulator.SECRET_KEY);
    }

    @Test
    void anUnsignedRequestIsRefusedWithAwsJsonError() throws Exception {
        SimulatorHttp http = new SimulatorHttp(sim.endpointUrl(0));
        HttpResponse<String> r = http.send(http.request("").header("Content-Type", ArcClusterSimulator.CONTENT_TYPE)
                .header("X-Amz-Target", "ToggleCustomerAPI.GetRoutingControlState")
                .POST(HttpRequest.BodyPublishers.ofString("{\"RoutingControlArn\":\"" + A + "\"}")));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(ArcClusterSimulator.CONTENT_TYPE);
        JsonNode body = SimulatorHttp.json(r);
        assertThat(body.get("__type").asText()).isEqualTo("MissingAuthenticationTokenException");
        assertThat(body.get("message").asText()).isEqualTo("Missing Authentication Token");
    }

    @Test
    void theSdkReadsAndUpdatesThroughTheV1EndpointPath() {
        try (Route53RecoveryClusterClient c = client(1)) {
            assertThat(c.getRoutingControlState(r -> r.routingControlArn(A)).routingControlState()).isEqualTo(RoutingControlState.ON);
            c.updateRoutingControlStates(r -> r.updateRoutingControlStateEntries(
                    e -> e.routingControlArn(A).routingControlState(RoutingControlState.OFF),
                    e -> e.routingControlArn(B).routingControlState(RoutingControlState.ON)));
            var got = c.getRoutingControlState(r -> r.routingControlArn(B));
            assertThat(got.routingControlState()).isEqualTo(RoutingControlState.ON);
            assertThat(got.routingControlName()).isEqualTo("cell-b");
        }
        RecordedRequest sent = sim.endpoint(1).requests().get(0);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).startsWith("/v1");
        assertThat(sent.header("X-Amz-Target")).isEqualTo("ToggleCustomerAPI.GetRoutingControlState");
        assertThat(sent.header("Content-Type")).isEqualTo(ArcClusterSimulator.CONTENT_TYPE);
        assertThat(sent.header("Authorization")).contains("/eu-west-1/route53-recovery-cluster/aws4_request");
        assertThat(sim.state(A)).isEqualTo("Off");
    }

    @Test
    void aSignatureMadeWithAnotherSecretOrForAnotherRegionIsRefused() {
        try (Route53RecoveryClusterClient c = client(0, "us-east-1", "not-the-secret")) {
            assertThatThrownBy(() -> c.getRoutingControlState(r -> r.routingControlArn(A)))
                    .isInstanceOfSatisfying(AwsServiceException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(403);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                    }).hasMessageContaining("does not match the signature you provided");
        }
        try (Route53RecoveryClusterClient c = client(0, "eu-west-1", ArcClusterSimulator.SECRET_KEY)) {
            assertThatThrownBy(() -> c.getRoutingControlState(r -> r.routingControlArn(A)))
                    .isInstanceOfSatisfying(AwsServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(403))
                    .hasMessageContaining("Credential should be scoped to a valid region, not 'eu-west-1'");
        }
    }

    @Test
    void anUnknownArnIsResourceNotFoundAndABadStateIsAValidationError() {
        try (Route53RecoveryClusterClient c = client(0)) {
            String unknown = PANEL + "/routingcontrol/0000000000000000";
            assertThatThrownBy(() -> c.getRoutingControlState(r -> r.routingControlArn(unknown)))
                    .isInstanceOfSatisfying(ResourceNotFoundException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(404);
                        assertThat(e.resourceId()).isEqualTo(unknown);
                        assertThat(e.resourceType()).isEqualTo("RoutingControl");
                    });
            // the prose writes ON/OFF, the model's enum is On|Off
            assertThatThrownBy(() -> c.updateRoutingControlState(r -> r.routingControlArn(B).routingControlState("ON")))
                    .isInstanceOfSatisfying(ValidationException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.reasonAsString()).isEqualTo("fieldValidationFailed");
                        assertThat(e.fields()).singleElement().satisfies(f -> assertThat(f.name()).isEqualTo("RoutingControlState"));
                    });
            assertThatThrownBy(() -> c.getRoutingControlState(r -> r.routingControlArn("not an arn!")))
                    .isInstanceOf(ValidationException.class);
        }
        assertThat(sim.state(B)).isEqualTo("Off");
    }

    @Test
    void anUpdateLeavingTheRuleUnmetIsAConflictUnlessTheRuleIsOverridden() {
        try (Route53RecoveryClusterClient c = client(0)) {
            assertThatThrownBy(() -> c.updateRoutingControlState(r -> r.routingControlArn(A).routingControlState(RoutingControlState.OFF)))
                    .isInstanceOfSatisfying(ConflictException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(409);
                        assertThat(e.resourceId()).isEqualTo(RULE);
                    });
            assertThat(sim.state(A)).isEqualTo("On");
            // a batch is all or nothing: one good entry does not pass with a bad one
            assertThatThrownBy(() -> c.updateRoutingControlStates(r -> r.updateRoutingControlStateEntries(
                    e -> e.routingControlArn(B).routingControlState(RoutingControlState.ON),
                    e -> e.routingControlArn(PANEL + "/routingcontrol/0000000000000000").routingControlState(RoutingControlState.ON))))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThat(sim.state(B)).isEqualTo("Off");
            c.updateRoutingControlState(r -> r.routingControlArn(A).routingControlState(RoutingControlState.OFF).safetyRulesToOverride(RULE));
            assertThat(sim.state(A)).isEqualTo("Off");
        }
    }

    @Test
    void listRoutingControlsPagesThroughThePanel() {
        try (Route53RecoveryClusterClient c = client(0)) {
            List<RoutingControl> all = c.listRoutingControlsPaginator(r -> r.controlPanelArn(PANEL).maxResults(1))
                    .routingControls().stream().toList();
            assertThat(all).extracting(RoutingControl::routingControlArn).containsExactly(A, B);
            assertThat(all.get(0).routingControlState()).isEqualTo(RoutingControlState.ON);
            assertThat(all.get(0).owner()).isEqualTo("123456789012");
            assertThat(sim.calls("ListRoutingControls")).hasSize(2);
        }
    }

    /** A request the SDK would never send, signed as the SDK signs (service route53-recovery-cluster, the endpoint's region). */
    HttpResponse<String> signedCall(String operation, String json) throws Exception {
        SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(URI.create(sim.endpointUrl(0) + "/"))
                .putHeader("Content-Type", ArcClusterSimulator.CONTENT_TYPE)
                .putHeader("X-Amz-Target", "ToggleCustomerAPI." + operation).build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(ArcClusterSimulator.ACCESS_KEY, ArcClusterSimulator.SECRET_KEY))
                .request(request).payload(ContentStreamProvider.fromUtf8String(json))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, ArcClusterSimulator.SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, sim.region(0)));
        HttpRequest.Builder http = HttpRequest.newBuilder(signed.request().getUri()).POST(HttpRequest.BodyPublishers.ofString(json));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(v -> http.header(name, v));
            }
        });
        return HttpClient.newHttpClient().send(http.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void membersOfTheWrongJsonTypeAreRefusedNotCoerced() throws Exception {
        String update = "{\"RoutingControlArn\":\"" + B + "\",\"RoutingControlState\":\"On\",\"SafetyRulesToOverride\":";
        for (String call : List.of(update + "\"" + RULE + "\"}", update + "{\"a\":\"" + RULE + "\"}}", update + "[42]}")) {
            HttpResponse<String> r = signedCall("UpdateRoutingControlState", call);
            assertThat(r.statusCode()).as(call).isEqualTo(400);
            assertThat(SimulatorHttp.json(r).get("__type").asText()).as(call).isEqualTo("SerializationException");
        }
        assertThat(sim.state(B)).isEqualTo("Off");
        HttpResponse<String> numberArn = signedCall("GetRoutingControlState", "{\"RoutingControlArn\":12}");
        assertThat(SimulatorHttp.json(numberArn).get("__type").asText()).isEqualTo("SerializationException");
        HttpResponse<String> textMax = signedCall("ListRoutingControls", "{\"MaxResults\":\"5\"}");
        assertThat(SimulatorHttp.json(textMax).get("__type").asText()).isEqualTo("SerializationException");
        HttpResponse<String> spacedToken = signedCall("ListRoutingControls", "{\"NextToken\":\"1 2\"}");
        assertThat(spacedToken.statusCode()).isEqualTo(400);
        assertThat(SimulatorHttp.json(spacedToken).get("__type").asText()).isEqualTo("ValidationException");
        // the signed helper itself is accepted: a well-typed call answers 200
        assertThat(signedCall("GetRoutingControlState", "{\"RoutingControlArn\":\"" + A + "\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void throttlingIs429WithRetryAfterSecondsInTheBody() throws Exception {
        sim.endpoint(0).setFault(Fault.rateLimit(2));
        HttpResponse<String> r = signedCall("GetRoutingControlState", "{\"RoutingControlArn\":\"" + A + "\"}");
        assertThat(r.statusCode()).isEqualTo(429);
        JsonNode body = SimulatorHttp.json(r);
        assertThat(body.get("__type").asText()).isEqualTo("ThrottlingException");
        assertThat(body.get("retryAfterSeconds").asInt()).isEqualTo(2);
        try (Route53RecoveryClusterClient c = client(0)) {
            assertThatThrownBy(() -> c.getRoutingControlState(q -> q.routingControlArn(A)))
                    .isInstanceOfSatisfying(ThrottlingException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(2));
        }
    }
}
