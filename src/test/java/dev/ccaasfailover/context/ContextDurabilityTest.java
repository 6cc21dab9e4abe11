package dev.ccaasfailover.context;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.util.Map;

import static dev.ccaasfailover.context.ContextHttpTest.json;
import static dev.ccaasfailover.context.ContextHttpTest.ts;
import static dev.ccaasfailover.testsupport.RunningMiddleware.CONTEXT_TOKEN;
import static dev.ccaasfailover.testsupport.RunningMiddleware.INGEST_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

class ContextDurabilityTest {

    @Test
    void contextWrittenBeforeARestartIsServedAfterIt() throws Exception {
        String event = ContextEvents.dataActionIvrState("restart-call", "+13175550160", "BillingMenu", "billing", ts(0));
        java.nio.file.Path dataDir;
        try (RunningMiddleware first = RunningMiddleware.start(Map.of())) {
            assertThat(first.post("/events", INGEST_TOKEN, event).statusCode()).isEqualTo(202);
            dataDir = first.dataDir();
        }
        try (RunningMiddleware second = RunningMiddleware.start(Map.of(), Map.of(), dataDir)) {
            assertThat(json(second.get("/context/+13175550160", CONTEXT_TOKEN)).at("/lastIvrState/currentStep").asText())
                    .isEqualTo("BillingMenu");
            assertThat(json(second.post("/events", INGEST_TOKEN, event)).at("/results/0/result").asText())
                    .isEqualTo("duplicate");
        }
    }

    @Test
    void aStoreOutageIs503WithRetryAfterNeverA202AndLogsHoldNoFullNumberNorToken() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        // DynamoDB on a port where nothing listens: every store call fails.
        try (RunningMiddleware app = RunningMiddleware.start(Map.of("failover.store.kind", "dynamodb",
                "failover.store.dynamodb.endpoint", "http://127.0.0.1:" + RunningMiddleware.freePort()))) {
            String event = ContextEvents.canonical("outage-1", "CallStarted", "genesys", "outage-call", "+13175550161", ts(0), null);
            HttpResponse<String> r = app.post("/events", INGEST_TOKEN, event);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
            assertThat(json(r).get("status").asInt()).isEqualTo(503);
            assertThat(app.get("/context/+13175550161", CONTEXT_TOKEN).statusCode()).isEqualTo(503);
            assertThat(app.post("/events", INGEST_TOKEN, "[" + event + ",{\"x\":1}]").statusCode()).isEqualTo(400);
        } finally {
            root.detachAppender(logs);
        }
        assertThat(logs.list).isNotEmpty();
        assertThat(logs.list).allSatisfy(e -> assertThat(e.getFormattedMessage() + String.valueOf(e.getThrowableProxy() == null
                ? "" : e.getThrowableProxy().getMessage()))
                .doesNotContain("3175550161").doesNotContain("5550161").doesNotContain(INGEST_TOKEN).doesNotContain(CONTEXT_TOKEN));
    }
}
