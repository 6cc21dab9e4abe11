package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.testsupport.LogCapture;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.ccaasfailover.context.ContextHttpTest.json;
import static dev.ccaasfailover.context.ContextHttpTest.ts;
import static dev.ccaasfailover.testsupport.RunningMiddleware.CONTEXT_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** POST /events/sns with messages signed by a test key, through the real verification code. */
class SnsEndpointHttpTest {

    static SnsTestSigner sns;
    static RunningMiddleware app;

    @BeforeAll
    static void start() throws Exception {
        sns = new SnsTestSigner();
        app = RunningMiddleware.start(Map.of("failover.events.sns.allowed-topic-arns", SnsTestSigner.TOPIC),
                Map.of("snsCertificates", sns.certificates()), null);
    }

    @AfterAll
    static void stop() {
        app.close();
        sns.close();
    }

    static HttpResponse<String> deliver(String body) throws Exception {
        JsonNode m = Json.MAPPER.readTree(body);
        return app.post("/events/sns", null, body, Map.of("Content-Type", "text/plain; charset=UTF-8",
                "x-amz-sns-message-type", m.path("Type").asText(), "x-amz-sns-message-id", m.path("MessageId").asText()));
    }

    static String event(String id, String callId, String phone) {
        return ContextEvents.canonical(id, "CallStarted", "genesys", callId, phone, ts(60), null);
    }

    @Test
    void signedNotificationsOfBothVersionsAreStoredAndARetryIsADuplicate() throws Exception {
        for (String version : new String[]{"1", "2"}) {
            String message = event("sns-ev-" + version, "sns-call-" + version, "+13175550177");
            HttpResponse<String> r = deliver(sns.notification("msg-" + version, message, version));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(json(r).get("accepted").asInt()).isEqualTo(1);
        }
        HttpResponse<String> retry = deliver(sns.notification("msg-2", event("sns-ev-2", "sns-call-2", "+13175550177"), "2"));
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(json(retry).get("duplicate").asBoolean()).isTrue();
        assertThat(json(app.get("/context/+13175550177", CONTEXT_TOKEN)).get("previousInteractions")).hasSize(2);
    }

    @Test
    void anEventWithoutAnIdTakesTheMessageId() throws Exception {
        String message = "{\"type\":\"CallStarted\",\"platform\":\"nice\",\"callId\":\"sns-noid\",\"phoneNumber\":\"+13175550178\",\"timestamp\":\"" + ts(0) + "\"}";
        HttpResponse<String> r = deliver(sns.notification("msg-noid", message, "2"));
        assertThat(json(r).at("/results/0/eventId").asText()).isEqualTo("msg-noid");
    }

    @Test
    void aTamperedMessageIs403AndNothingIsStored() throws Exception {
        ObjectNode m = (ObjectNode) Json.MAPPER.readTree(sns.notification("msg-bad", event("sns-bad", "sns-bad-call", "+13175550179"), "2"));
        m.put("Message", event("sns-bad", "sns-bad-call", "+13175550180"));
        HttpResponse<String> r = deliver(Json.write(m));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("field").asText()).isEqualTo("Signature");
        assertThat(app.get("/calls/sns-bad-call", CONTEXT_TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void aCertificateOffTheAllowedHostsIs403() throws Exception {
        ObjectNode m = (ObjectNode) Json.MAPPER.readTree(sns.notification("msg-host", event("sns-host", "sns-host-call", "+13175550181"), "2"));
        m.put("SigningCertURL", "https://attacker.example.com/cert.pem");
        assertThat(deliver(Json.write(m)).statusCode()).isEqualTo(403);
        assertThat(app.get("/calls/sns-host-call", CONTEXT_TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void subscriptionIsConfirmedOnlyForAllowedTopics() throws Exception {
        HttpResponse<String> r = deliver(sns.confirmation("SubscriptionConfirmation", SnsTestSigner.TOPIC));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(sns.confirmations).anySatisfy(q -> assertThat(q).contains("Token=tok-1"));
        int before = sns.confirmations.size();

        HttpResponse<String> other = deliver(sns.confirmation("SubscriptionConfirmation", "arn:aws:sns:us-east-1:123456789012:other"));
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(sns.confirmations).hasSize(before);
    }

    @Test
    void unsubscribeConfirmationIsLoggedAndAcknowledged() throws Exception {
        HttpResponse<String> r = deliver(sns.confirmation("UnsubscribeConfirmation", SnsTestSigner.TOPIC));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("logged").asBoolean()).isTrue();
    }

    @Test
    void garbageIs400NotA5xx() throws Exception {
        assertThat(deliver("{\"Type\":\"Notification\"}").statusCode()).isEqualTo(403);
        assertThat(app.post("/events/sns", null, "not json").statusCode()).isEqualTo(400);
    }

    @Test
    void aCertificateInAnS3BucketNamedSnsIs403AndIsNeverFetched() throws Exception {
        for (String host : new String[]{"sns.s3.amazonaws.com", "sns.s3-ap-southeast-2.amazonaws.com", "sns.s3-accelerate.amazonaws.com"}) {
            ObjectNode m = (ObjectNode) Json.MAPPER.readTree(sns.notification("msg-s3", event("sns-s3", "sns-s3-call", "+13175550182"), "2"));
            m.put("SigningCertURL", "https://" + host + "/SimpleNotificationService-0123456789abcdef.pem");
            HttpResponse<String> r = deliver(sns.sign(m, "2"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        }
        assertThat(sns.fetched).noneMatch(u -> u.getHost().contains("s3"));
        assertThat(app.get("/calls/sns-s3-call", CONTEXT_TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void aHostileTypeOrTopicNeitherForgesNorFloodsLogLines() throws Exception {
        String forged = "\n12:00:00.000 ERROR forged log line " + "x".repeat(100_000);
        try (LogCapture logs = new LogCapture()) {
            ObjectNode wrongTopic = (ObjectNode) Json.MAPPER.readTree(sns.notification("msg-log-1", "[]", "2"));
            wrongTopic.put("TopicArn", SnsTestSigner.TOPIC + forged);
            assertThat(deliver(Json.write(wrongTopic)).statusCode()).isEqualTo(403);
            ObjectNode badType = (ObjectNode) Json.MAPPER.readTree(sns.notification("msg-log-2", "[]", "2"));
            badType.put("Type", "Notification" + forged);
            badType.put("MessageId", "msg-log-2" + forged);
            assertThat(app.post("/events/sns", null, Json.write(badType), Map.of("Content-Type", "text/plain; charset=UTF-8"))
                    .statusCode()).isEqualTo(403);

            assertThat(logs.messages()).anyMatch(m -> m.contains("refused"));
            assertThat(logs.messages()).allSatisfy(m -> assertThat(m).doesNotContain("\n").doesNotContain("\r").hasSizeLessThan(1_000));
        }
    }
}
