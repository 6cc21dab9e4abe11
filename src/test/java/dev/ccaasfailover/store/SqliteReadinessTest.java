package dev.ccaasfailover.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The embedded store's readiness sees writes, and neither reads nor readiness wait behind a write that is stuck on
 * another connection's lock of the same file (SQLite's locks are per connection, so a second one plays the other
 * process) or on a full disk.
 */
class SqliteReadinessTest {

    @TempDir
    Path dataDir;

    private final Clock clock = Clock.systemUTC();

    private static StoreItem item(String pk, String data) {
        return StoreItem.of("events", pk, "sk", data, null);
    }

    /** Another process's write transaction: holds the file's write lock until closed. */
    private Connection holdWriteLock() throws Exception {
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME));
        other.setAutoCommit(false);
        try (Statement s = other.createStatement()) {
            s.execute("INSERT INTO items (tbl, pk, sk, version, data) VALUES ('other', 'p', 's', 1, '{}')");
        }
        return other;
    }

    @Test
    void readsAnswerWhileAWriteWaitsForAnotherProcesssLockAndTheWriteThenFailsInsteadOfQueueing() throws Exception {
        try (SqliteStore store = new SqliteStore(dataDir, clock, 3000)) {
            store.putIfAbsent(item("before", "{\"n\":1}"));
            Connection other = holdWriteLock();
            try {
                CompletableFuture<Boolean> stuck = CompletableFuture.supplyAsync(() -> store.putIfAbsent(item("during", "{}")));
                await().until(() -> store.lockedForTest());
                Optional<StoreItem> read = store.get("events", "before", "sk");
                assertThat(stuck).isNotDone(); // the read was answered while the write still waited
                assertThat(read).map(StoreItem::data).contains("{\"n\":1}");
                assertThat(store.query("events", "before", 5)).hasSize(1);
                assertThatThrownBy(stuck::join).hasCauseInstanceOf(StoreUnavailableException.class);
                assertThat(store.isAvailable()).isFalse();
            } finally {
                other.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(store::isAvailable);
            assertThat(store.putIfAbsent(item("after", "{}"))).isTrue();
        }
    }

    @Test
    void readinessProbesAWriteAndIsDownWhileAnotherProcessHoldsTheLock() throws Exception {
        new SqliteStore(dataDir, clock).close(); // the file and its schema
        try (SqliteStore idle = new SqliteStore(dataDir, clock, 3000)) {
            assertThat(idle.isAvailable()).isTrue(); // no write yet: a probe wrote
            Connection other = holdWriteLock();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> !idle.isAvailable());
                assertThat(idle.get("other", "p", "s")).isEmpty(); // reads go on; the other's write is not committed
            } finally {
                other.close();
            }
            await().atMost(Duration.ofSeconds(10)).until(idle::isAvailable);
        }
    }

    @Test
    void aFullDiskMakesWritesFailAndReadinessDownWhileReadsGoOn() throws Exception {
        try (SqliteStore store = new SqliteStore(dataDir, clock)) {
            store.putIfAbsent(item("kept", "{\"n\":1}"));
            store.fillDiskForTest();
            String big = "{\"pad\":\"" + "x".repeat(4000) + "\"}";
            assertThatThrownBy(() -> {
                for (int i = 0; i < 1000; i++) {
                    store.putIfAbsent(item("fill-" + i, big));
                }
            }).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("full");
            assertThat(store.isAvailable()).isFalse();
            assertThat(store.get("events", "kept", "sk")).map(StoreItem::data).contains("{\"n\":1}");
        }
    }
}
