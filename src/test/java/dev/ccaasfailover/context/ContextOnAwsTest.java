package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.testsupport.MotoServer;
import dev.ccaasfailover.testsupport.MotoServerExtension;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static dev.ccaasfailover.context.ContextHttpTest.json;
import static dev.ccaasfailover.context.ContextHttpTest.ts;
import static dev.ccaasfailover.testsupport.RunningMiddleware.CONTEXT_TOKEN;
import static dev.ccaasfailover.testsupport.RunningMiddleware.INGEST_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The app on moto_server: the DynamoDB store under ingest and the context read, and the SQS consumer (delete only
 * after the write, poison messages to the dead-letter queue after max-receives).
 */
class ContextOnAwsTest {

    @RegisterExtension
    static final MotoServerExtension MOTO = new MotoServerExtension();
    static SqsClient sqs;
    static String queueUrl;
    static String dlqUrl;
    static RunningMiddleware app;

    @BeforeAll
    static void start() throws Exception {
        // The app's AWS clients use the default credential chain; moto accepts any.
        System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", MotoServer.SECRET_KEY);
        sqs = SqsClient.builder().region(Region.of(MotoServer.REGION)).endpointOverride(MOTO.server().endpointUri())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        dlqUrl = sqs.createQueue(r -> r.queueName("ccaas-events-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        // What the operator configures (README): the queue's own RedrivePolicy moves poison messages, not the app.
        queueUrl = sqs.createQueue(r -> r.queueName("ccaas-events").attributes(Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}"))).queueUrl();
        Map<String, String> props = new HashMap<>();
        props.put("failover.store.kind", "dynamodb");
        props.put("failover.store.dynamodb.endpoint", MOTO.server().endpoint());
        props.put("failover.store.dynamodb.region", MotoServer.REGION);
        // moto_server's DynamoDB fails concurrent TransactWriteItems (RuntimeError: dictionary changed size during
        // iteration, answered as 500); AWS's does not. The concurrent path is the same code at 1.
        props.put("failover.store.dynamodb.write-concurrency", "1");
        props.put("failover.events.sqs.queue-url", queueUrl);
        props.put("failover.events.sqs.dlq-url", dlqUrl);
        props.put("failover.events.sqs.max-receives", "2");
        props.put("failover.events.sqs.endpoint", MOTO.server().endpoint());
        props.put("failover.events.sqs.region", MotoServer.REGION);
        app = RunningMiddleware.start(props);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (sqs != null) {
            sqs.close();
        }
    }

    @Test
    void contextIsReadFromDynamoDb() throws Exception {
        String batch = "[" + ContextEvents.canonical("ddb-1", "CallStarted", "genesys", "ddb-call", "+13175550190", ts(0), "\"intent\":\"billing\"")
                + "," + ContextEvents.dataActionIvrState("ddb-call", "+13175550190", "BillingMenu", "billing", ts(10)) + "]";
        assertThat(app.post("/events", INGEST_TOKEN, batch).statusCode()).isEqualTo(202);
        assertThat(json(app.post("/events", INGEST_TOKEN, batch)).get("duplicates").asInt()).isEqualTo(2);

        JsonNode ctx = json(app.get("/context/13175550190", CONTEXT_TOKEN));
        assertThat(ctx.get("previousInteractions").findValuesAsText("callId")).containsExactly("ddb-call");
        assertThat(ctx.at("/lastIvrState/currentStep").asText()).isEqualTo("BillingMenu");
        assertThat(ctx.get("currentIntent").asText()).isEqualTo("billing");
    }

    @Test
    void heartbeatsKeepOneLatestIvrItemOnDynamoDb() throws Exception {
        String phone = "+13175550192";
        java.util.List<String> events = new java.util.ArrayList<>();
        for (int c = 0; c < 6; c++) {
            events.add(ContextEvents.canonical("ddb-hb-call-" + c, "CallStarted", "genesys", "ddb-hb-" + c, phone, ts(c * 1000L), null));
            for (int h = 0; h < 20; h++) { // 120 heartbeats: more than the 100 call events a read takes
                events.add(ContextEvents.canonical("ddb-hb-" + c + "-" + h, "IVRState", "genesys", "ddb-hb-" + c, phone,
                        ts(c * 1000L + 10L * h), "\"currentStep\":\"Step" + c + "-" + h + "\""));
            }
        }
        java.util.Collections.shuffle(events, new java.util.Random(9));
        assertThat(json(app.post("/events", INGEST_TOKEN, "[" + String.join(",", events) + "]")).get("accepted").asInt())
                .isEqualTo(126);
        // Late and older: no rewind. A duplicate (an old id with a newer timestamp): no change.
        app.post("/events", INGEST_TOKEN, ContextEvents.canonical("ddb-hb-late", "IVRState", "genesys", "ddb-hb-5", phone,
                ts(5005), "\"currentStep\":\"Late\""));
        assertThat(json(app.post("/events", INGEST_TOKEN, ContextEvents.canonical("ddb-hb-5-0", "IVRState", "genesys",
                "ddb-hb-5", phone, ts(9000), "\"currentStep\":\"Replayed\""))).get("duplicates").asInt()).isEqualTo(1);

        JsonNode ctx = json(app.get("/context/" + phone, CONTEXT_TOKEN));
        assertThat(ctx.get("previousInteractions").findValuesAsText("callId"))
                .containsExactly("ddb-hb-5", "ddb-hb-4", "ddb-hb-3", "ddb-hb-2", "ddb-hb-1");
        assertThat(ctx.at("/lastIvrState/currentStep").asText()).isEqualTo("Step5-19");
        assertThat(json(app.get("/calls/ddb-hb-5", CONTEXT_TOKEN)).path("events")).hasSize(22);
    }

    @Test
    void anSnsEnvelopeOnTheQueueIsStoredThenDeleted() throws Exception {
        String event = ContextEvents.canonical("sqs-1", "CallStarted", "nice", "sqs-call", "+13175550191", ts(0), null);
        String envelope = "{\"Type\":\"Notification\",\"MessageId\":\"sns-m-1\",\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:t\","
                + "\"Message\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(event) + "}";
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(envelope));
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(
                ContextEvents.canonical("sqs-2", "CallEnded", "nice", "sqs-call", "+13175550191", ts(60), null)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(json(app.get("/calls/sqs-call", CONTEXT_TOKEN)).path("events")).hasSize(2));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(queueDepth(queueUrl)).isZero());
    }

    @Test
    void aPoisonMessageGoesToTheDeadLetterQueueAfterMaxReceives() throws Exception {
        String poison = "{\"type\":\"Teleported\",\"platform\":\"nice\"}";
        sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(poison));
        // good messages around the poison one: each is stored and deleted, none goes to the dead-letter queue
        for (int i = 0; i < 3; i++) {
            String id = "sqs-good-" + i;
            sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(
                    ContextEvents.canonical(id, "CallStarted", "nice", id, "+13175550193", ts(0), null)));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(queueDepth(dlqUrl)).isEqualTo(1);
            assertThat(queueDepth(queueUrl)).isZero();
        });
        for (int i = 0; i < 3; i++) {
            assertThat(json(app.get("/calls/sqs-good-" + i, CONTEXT_TOKEN)).path("events")).hasSize(1);
        }
        java.util.List<software.amazon.awssdk.services.sqs.model.Message> dead = sqs.receiveMessage(r -> r.queueUrl(dlqUrl)
                .maxNumberOfMessages(10).messageSystemAttributeNames(software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).body()).isEqualTo(poison);
        // received by the consumer maxReceiveCount (2) times before SQS moved it; this receive adds one
        assertThat(Integer.parseInt(dead.get(0).attributes().get(
                software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))).isGreaterThanOrEqualTo(2);
        sqs.deleteMessage(r -> r.queueUrl(dlqUrl).receiptHandle(dead.get(0).receiptHandle()));
    }

    static int queueDepth(String url) {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(a.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }
}
