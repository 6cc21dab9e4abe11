package dev.ccaasfailover.observe;

import dev.ccaasfailover.store.DynamoDbStore;
import dev.ccaasfailover.store.SqliteStore;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness answers whatever the store does: a store that never answers is DOWN at the deadline, not later. */
class StoreReadinessCheckTest {

    @TempDir
    Path dataDir;

    private static HealthCheck.Result check(StoreReadinessCheck check) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            check.setCamelContext(camel);
            return check.call();
        }
    }

    @Test
    void aStoreThatWritesIsUp() throws Exception {
        try (SqliteStore store = new SqliteStore(dataDir, Clock.systemUTC())) {
            assertThat(check(new StoreReadinessCheck(store)).getState()).isEqualTo(HealthCheck.State.UP);
        }
    }

    @Test
    void aStoreThatNeverAnswersIsDownAtTheDeadline() throws Exception {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        List<Socket> held = new CopyOnWriteArrayList<>();
        // Accepts and never answers: DynamoDB's calls hang until the SDK's own (long) timeouts.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            try (DynamoDbStore store = DynamoDbStore.create("us-east-1", "http://127.0.0.1:" + silent.getLocalPort(), "t-", 1,
                    Clock.systemUTC())) {
                StoreReadinessCheck readiness = new StoreReadinessCheck(store);
                HealthCheck.Result first = check(readiness);
                assertThat(first.getState()).isEqualTo(HealthCheck.State.DOWN);
                assertThat(first.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("did not answer within"));
                assertThat(check(readiness).getState()).isEqualTo(HealthCheck.State.DOWN); // the same hung call, not a second
                assertThat(held).hasSize(1);
            }
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
