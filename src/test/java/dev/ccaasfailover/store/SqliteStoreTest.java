package dev.ccaasfailover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What only the embedded store promises: one file, shared safely by several instances and processes. */
class SqliteStoreTest {

    @TempDir
    Path dataDir;

    private final Clock clock = Clock.systemUTC();

    @Test
    void aFileFromBeforeForwardPutsGainsTheOrderColumnAndItsItemsAreReplacedByTheFirstForwardPut() throws Exception {
        Files.createDirectories(dataDir);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (tbl TEXT NOT NULL, pk TEXT NOT NULL, sk TEXT NOT NULL, version INTEGER NOT NULL,"
                    + " data TEXT NOT NULL, expires_at INTEGER NULL, PRIMARY KEY (tbl, pk, sk))");
            s.execute("INSERT INTO items VALUES ('events', '+15551230001', '~ivr', 3, 'old', NULL)");
        }

        try (SqliteStore store = new SqliteStore(dataDir, clock)) {
            assertThat(store.get("events", "+15551230001", "~ivr").orElseThrow().data()).isEqualTo("old");
            store.putGuarded(List.of(new GuardedWrite(StoreItem.of("dedupe", "e1", "event", "{}", null), List.of(),
                    List.of(new ForwardPut(StoreItem.of("events", "+15551230001", "~ivr", "new", null), "t1#e1")))));
            assertThat(store.get("events", "+15551230001", "~ivr").orElseThrow().data()).isEqualTo("new");
        }
        try (SqliteStore reopened = new SqliteStore(dataDir, clock)) { // the column is there now: no second ALTER
            assertThat(reopened.get("events", "+15551230001", "~ivr").orElseThrow().data()).isEqualTo("new");
        }
    }

    @Test
    void twoInstancesOnOneFileRacingFromTheSameVersionNeverBothWin() throws Exception {
        try (SqliteStore first = new SqliteStore(dataDir, clock); SqliteStore second = new SqliteStore(dataDir, clock)) {
            StoreItem state = StoreItem.of("control", "control-plane", "state", "NORMAL", null);
            first.putIfAbsent(state);
            List<Store> writers = List.of(first, second, first, second, first, second, first, second);

            for (VersionRace.Round round : VersionRace.run(writers, state, 10)) {
                assertThat(round.winners()).as("winners from version %d", round.fromVersion()).hasSize(1);
                assertThat(round.after().version()).isEqualTo(round.fromVersion() + 1);
            }
        }
    }

    @Test
    void aWriteAcknowledgedByOneInstanceIsReadByAFreshInstance() {
        try (SqliteStore writer = new SqliteStore(dataDir, clock)) {
            assertThat(writer.putIfAbsent(StoreItem.of("events", "+15551230001", "0001", "{\"a\":1}", null))).isTrue();

            try (SqliteStore fresh = new SqliteStore(dataDir, clock)) {
                assertThat(fresh.get("events", "+15551230001", "0001").orElseThrow().data()).isEqualTo("{\"a\":1}");
            }
        }
    }

    @Test
    void createsOneDatabaseFileInWalModeUnderANewDataDirectory() throws Exception {
        Path nested = dataDir.resolve("not/yet/there");

        try (SqliteStore store = new SqliteStore(nested, clock)) {
            Path file = nested.resolve("ccaas-failover.db").toAbsolutePath();
            assertThat(store.file()).isEqualTo(file);
            assertThat(file).exists();
            assertThat(store.describe()).isEqualTo("embedded SQLite at " + file + " (WAL, synchronous=FULL)");
            assertThat(journalMode(file)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void anUnusableDataDirectoryFailsWithTheFileInTheMessage() throws IOException {
        Path notADirectory = Files.writeString(dataDir.resolve("occupied"), "a file, not a directory");

        assertThatThrownBy(() -> new SqliteStore(notADirectory, clock))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(notADirectory.resolve("ccaas-failover.db").toString());
    }

    @Test
    void aClosedStoreIsUnavailableAndItsErrorsNameTheFile() {
        SqliteStore store = new SqliteStore(dataDir, clock);
        store.close();

        assertThat(store.isAvailable()).isFalse();
        assertThatThrownBy(() -> store.get("calls", "c", "s"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(store.file().toString());
        assertThatThrownBy(() -> store.putGuarded(List.of(guarded("closed-1", "t0"))))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining(store.file().toString());
    }

    @Test
    void twoProcessesRacingOnOneFileNeverBothWinAVersion() throws Exception {
        int rounds = 100;
        try (SqliteStore store = new SqliteStore(dataDir, clock)) {
            store.putIfAbsent(SqliteCasWorker.COUNTER);
            SqliteCasWorker.warmUp(store, "parent");
            Path childErrors = dataDir.resolve("child-stderr.txt");
            Process child = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    SqliteCasWorker.class.getName(), dataDir.toString(), Integer.toString(rounds))
                    .redirectError(childErrors.toFile())
                    .start();
            try {
                BufferedReader childOut = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                awaitLine(childOut, "ready", childErrors);

                long firstRoundAt = System.currentTimeMillis() + 200;
                try (Writer childIn = new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8)) {
                    childIn.write("go " + firstRoundAt + "\n");
                }
                List<Long> parentWins = new ArrayList<>();
                SqliteCasWorker.race(store, firstRoundAt, rounds, "parent", parentWins::add);
                List<Long> childWins = wins(childOut, childErrors);
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

                Set<Long> both = new HashSet<>(parentWins);
                both.retainAll(childWins);
                assertThat(both).as("rounds won by both processes").isEmpty();
                Set<Long> all = new HashSet<>(parentWins);
                all.addAll(childWins);
                assertThat(all).as("rounds won by either").hasSize(rounds);
                assertThat(parentWins).as("rounds the parent won (none means nothing raced)").isNotEmpty();
                assertThat(childWins).as("rounds the child won (none means nothing raced)").isNotEmpty();
                assertThat(store.get("control", "control-plane", "counter").orElseThrow().version())
                        .isEqualTo(rounds + 1L);
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static void awaitLine(BufferedReader in, String expected, Path errors) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("child process ended before '" + expected + "': " + Files.readString(errors));
    }

    @Test
    void concurrentPutGuardedCallersShareCommitsAndEachGetsItsOwnResults() throws Exception {
        int threads = 6;
        int rounds = 10;
        int unique = 100;
        int shared = 20;
        try (SqliteStore store = new SqliteStore(dataDir, clock)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                long commitsBefore = store.commits();
                for (int r = 0; r < rounds; r++) {
                    int round = r;
                    CyclicBarrier start = new CyclicBarrier(threads);
                    List<Future<List<Boolean>>> calls = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        int thread = t;
                        calls.add(pool.submit(() -> {
                            List<GuardedWrite> writes = new ArrayList<>();
                            for (int i = 0; i < unique; i++) {
                                writes.add(guarded("u-" + round + "-" + thread + "-" + i, "t" + thread));
                                if (i % (unique / shared) == 0) { // the same guard keys in every caller's list
                                    writes.add(guarded("s-" + round + "-" + i, "t" + thread));
                                }
                            }
                            start.await();
                            return store.putGuarded(writes);
                        }));
                    }
                    int[] winners = new int[unique];
                    java.util.Arrays.fill(winners, -1);
                    for (int t = 0; t < threads; t++) {
                        List<Boolean> results = calls.get(t).get(30, TimeUnit.SECONDS);
                        assertThat(results).hasSize(unique + shared);
                        int k = 0;
                        for (int i = 0; i < unique; i++) {
                            assertThat(results.get(k++)).as("own event %d of caller %d", i, t).isTrue();
                            if (i % (unique / shared) == 0) {
                                if (results.get(k++)) {
                                    assertThat(winners[i]).as("shared event %d won twice", i).isEqualTo(-1);
                                    winners[i] = t;
                                }
                            }
                        }
                    }
                    for (int i = 0; i < unique; i += unique / shared) {
                        assertThat(winners[i]).as("shared event %d stored by nobody", i).isNotEqualTo(-1);
                        // Stored once: only the winner's item, never a loser's.
                        assertThat(store.query("calls", "s-" + round + "-" + i, 10)).extracting(StoreItem::sk)
                                .containsExactly("t" + winners[i]);
                    }
                    for (int t = 0; t < threads; t++) {
                        assertThat(store.get("calls", "u-" + round + "-" + t + "-7", "t" + t)).isPresent();
                    }
                }
                // Callers arriving while a transaction runs share the next commit.
                assertThat(store.commits() - commitsBefore).isLessThan((long) threads * rounds);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static GuardedWrite guarded(String eventId, String caller) {
        return new GuardedWrite(StoreItem.of("dedupe", eventId, "event", "{}", null),
                List.of(StoreItem.of("calls", eventId, caller, "{\"by\":\"" + caller + "\"}", null)));
    }

    /** The child's "won" lines up to "done"; its log lines (stdout too) are skipped. */
    private static List<Long> wins(BufferedReader in, Path errors) throws IOException {
        List<Long> wins = new ArrayList<>();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("done")) {
                return wins;
            }
            if (line.startsWith("won ")) {
                wins.add(Long.parseLong(line.substring(4)));
            }
        }
        throw new AssertionError("child process ended before 'done': " + Files.readString(errors));
    }

    private static String journalMode(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
