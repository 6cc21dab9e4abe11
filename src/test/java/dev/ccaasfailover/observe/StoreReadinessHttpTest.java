package dev.ccaasfailover.observe;

import dev.ccaasfailover.store.SqliteStore;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static dev.ccaasfailover.testsupport.RunningMiddleware.CONTEXT_TOKEN;
import static dev.ccaasfailover.testsupport.RunningMiddleware.INGEST_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lock phase through HTTP: another process holds the store file's write lock; /observe/health turns DOWN
 * (503) and GET /context still answers from what is stored, while a POST /events waits for the lock and gets 503.
 */
class StoreReadinessHttpTest {

    @Test
    void anotherProcessHoldingTheLockMakesReadinessDownWhileContextReadsGoOn() throws Exception {
        Path dir = Files.createTempDirectory("readiness-http");
        try (RunningMiddleware app = RunningMiddleware.start(Map.of("failover.store.sqlite.busy-timeout-ms", "3000"), Map.of(), dir)) {
            String event = "{\"eventId\":\"r-1\",\"type\":\"CallStarted\",\"platform\":\"genesys\",\"callId\":\"r-call\","
                    + "\"phoneNumber\":\"+13175550190\",\"timestamp\":\"" + java.time.Instant.now().minusSeconds(5) + "\"}";
            assertThat(app.post("/events", INGEST_TOKEN, event).statusCode()).isEqualTo(202);
            assertThat(app.get("/observe/health", null).statusCode()).isEqualTo(200);

            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteStore.FILE_NAME))) {
                other.setAutoCommit(false);
                try (Statement s = other.createStatement()) {
                    s.execute("INSERT INTO items (tbl, pk, sk, version, data) VALUES ('other', 'p', 's', 1, '{}')");
                }
                String second = event.replace("r-1", "r-2").replace("r-call", "r-call-2");
                CompletableFuture<HttpResponse<String>> write = CompletableFuture.supplyAsync(() -> {
                    try {
                        return app.post("/events", INGEST_TOKEN, second);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                HttpResponse<String> read = app.get("/context/+13175550190", CONTEXT_TOKEN);
                assertThat(read.statusCode()).isEqualTo(200);
                assertThat(read.body()).contains("r-call");
                await().atMost(Duration.ofSeconds(15)).until(() -> app.get("/observe/health", null).statusCode() == 503);
                HttpResponse<String> health = app.get("/observe/health", null);
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(write.join().statusCode()).isEqualTo(503);
                other.rollback();
            }
            await().atMost(Duration.ofSeconds(15)).until(() -> app.get("/observe/health", null).statusCode() == 200);
        }
    }
}
