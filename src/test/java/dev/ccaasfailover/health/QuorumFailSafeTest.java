package dev.ccaasfailover.health;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.FailoverConfig.HealthSettings;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.store.GuardedWrite;
import dev.ccaasfailover.store.SqliteStore;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;
import dev.ccaasfailover.store.StoreUnavailableException;
import dev.ccaasfailover.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The quorum fails safe and still fails over: observers on one store file (as replicas on one store), with probes
 * the test sets and a store the test can break. README "Quorum".
 */
class QuorumFailSafeTest {

    // interval, timeout, latency, down/up thresholds, confirm interval, alive codes, quorum 2, window 10 s
    static HealthSettings settings(String id) {
        return new HealthSettings(50, 50, 40, 20, 2, 2, 20, Set.of(200), 2, 10000, id);
    }

    @TempDir
    Path dir;
    final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** One observer: its own probe of Genesys (Down or Up as the test says), its own monitor. */
    final class Observer {
        volatile Observation seen = Observation.up(5, "OPTIONS answered 200 in 5 ms");
        final FlakyStore store;
        final HealthBoard board;
        final HealthMonitor monitor;

        Observer(String id, Clock clock) {
            SqliteStore file = new SqliteStore(dir, Clock.systemUTC());
            closing.add(file);
            store = new FlakyStore(file);
            board = new HealthBoard(FailoverConfig.load(Map.of("failover.platform.genesys.sip-uri", "sip:127.0.0.1:5060")::get), clock);
            Map<Platform, Map<Layer, HealthMonitor.LayerProbe>> probes = new EnumMap<>(Platform.class);
            probes.put(Platform.GENESYS, Map.of(Layer.SIP, timeout -> seen));
            monitor = new HealthMonitor(settings(id), board, clock, probes, new QuorumGate(store, id, 2, 10000, clock));
            closing.add(monitor);
        }

        HealthStatus genesys() {
            monitor.probe();
            return board.platformStatus(Platform.GENESYS);
        }

        void down() {
            seen = Observation.down("OPTIONS no final response within 40 ms");
        }

        Map<String, Object> quorum() {
            return monitor.quorumStatus(Platform.GENESYS);
        }
    }

    @Test
    void aLoneObserverDoesNotFailOverOnItsOwnViewAndStatusSaysWhy() throws Exception {
        Observer a = new Observer("a", Clock.systemUTC());
        a.down();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.genesys() == HealthStatus.Down);
        for (int i = 0; i < 20; i++) {
            a.monitor.probe();
            Thread.sleep(20);
        }
        assertThat(a.monitor.decisions()).as("one observer of two required").isEmpty();
        assertThat(a.quorum()).containsEntry("required", 2).containsEntry("agreeing", 1).containsEntry("observers", 1)
                .containsEntry("waiting", true);
    }

    @Test
    void twoObserversAgreeAndTheDownIsHandedOnOnce() {
        Observer a = new Observer("a", Clock.systemUTC());
        Observer b = new Observer("b", Clock.systemUTC());
        a.down();
        b.down();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.genesys() == HealthStatus.Down & b.genesys() == HealthStatus.Down);
        List<PlatformEvent> decided = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            a.monitor.probe();
            decided.addAll(a.monitor.decisions());
            return !decided.isEmpty();
        });
        assertThat(decided).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(PlatformEvent.Kind.DOWN);
            assertThat(e.reason()).contains("2 of 2 observers agree");
        });
        a.monitor.probe();
        assertThat(a.monitor.decisions()).as("handed on once").isEmpty();
        assertThat(a.quorum()).containsEntry("agreeing", 2).containsEntry("waiting", false);
    }

    @Test
    void aDownObservationTheStoreRefusedIsWrittenAgainOnTheNextTickAndStillCounts() {
        Observer a = new Observer("a", Clock.systemUTC());
        Observer b = new Observer("b", Clock.systemUTC());
        a.store.failWrites = true;
        a.down();
        b.down();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.genesys() == HealthStatus.Down & b.genesys() == HealthStatus.Down);
        b.monitor.probe();
        assertThat(b.monitor.decisions()).as("a's vote never reached the store").isEmpty();
        assertThat(b.quorum()).containsEntry("agreeing", 1).containsEntry("waiting", true);
        assertThat((String) a.quorum().get("lastError")).contains("observation not written (retried next tick)");

        a.store.failWrites = false; // the store is back: a's next tick writes its Down again
        List<PlatformEvent> decided = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            a.monitor.probe();
            b.monitor.probe();
            decided.addAll(b.monitor.decisions());
            return !decided.isEmpty();
        });
        assertThat(decided).singleElement().extracting(PlatformEvent::kind).isEqualTo(PlatformEvent.Kind.DOWN);
    }

    @Test
    void unreadableObservationsMeanWaitingNotFailingOverThenTheDownCountsOnceReadable() throws Exception {
        Observer a = new Observer("a", Clock.systemUTC());
        Observer b = new Observer("b", Clock.systemUTC());
        b.down();
        a.store.failReads = true;
        a.down();
        await().atMost(Duration.ofSeconds(5)).until(() -> a.genesys() == HealthStatus.Down & b.genesys() == HealthStatus.Down);
        for (int i = 0; i < 10; i++) {
            a.monitor.probe();
            Thread.sleep(20);
        }
        assertThat(a.monitor.decisions()).as("no agreement can be seen").isEmpty();
        assertThat(a.quorum()).containsEntry("waiting", true).containsEntry("agreeing", null);
        assertThat((String) a.quorum().get("lastError")).contains("observations not read");

        a.store.failReads = false;
        List<PlatformEvent> decided = new ArrayList<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            a.monitor.probe();
            decided.addAll(a.monitor.decisions());
            return !decided.isEmpty();
        });
        assertThat(decided).singleElement().extracting(PlatformEvent::kind).isEqualTo(PlatformEvent.Kind.DOWN);
    }

    @Test
    void aFollowerKeepsItsUndeliveredDownForWhenItLeadsButNotOnceThePlatformRecovered() {
        Observer a = new Observer("a", Clock.systemUTC());
        Observer b = new Observer("b", Clock.systemUTC());
        a.down();
        b.down();
        // a follows: it probes and records, nobody takes its decisions
        await().atMost(Duration.ofSeconds(5)).until(() -> a.genesys() == HealthStatus.Down & b.genesys() == HealthStatus.Down
                & !a.monitor.awaitingQuorum(Platform.GENESYS));
        for (int i = 0; i < 5; i++) {
            a.monitor.probe();
        }
        assertThat(a.monitor.decisions()).as("a leads now: the Down it confirmed while following")
                .singleElement().extracting(PlatformEvent::kind).isEqualTo(PlatformEvent.Kind.DOWN);

        a.seen = Observation.up(5, "OPTIONS answered 200 in 5 ms");
        await().atMost(Duration.ofSeconds(5)).until(() -> a.genesys() == HealthStatus.Up);
        assertThat(a.monitor.decisions()).singleElement().extracting(PlatformEvent::kind).isEqualTo(PlatformEvent.Kind.RECOVERED);
    }

    @Test
    void clocksSkewedByFiveSecondsStillAgreeWithinTheWindow() {
        Instant t = Instant.parse("2026-12-03T18:00:00.250Z");
        MutableClock behind = new MutableClock(t.minusSeconds(5));
        MutableClock exact = new MutableClock(t);
        MutableClock ahead = new MutableClock(t.plusSeconds(5));
        // each observer's store reads expiry by its own process's clock, as on three hosts
        try (SqliteStore s1 = new SqliteStore(dir, behind); SqliteStore s2 = new SqliteStore(dir, exact);
             SqliteStore s3 = new SqliteStore(dir, ahead)) {
            QuorumGate a = new QuorumGate(s1, "a", 2, 10000, behind);
            QuorumGate b = new QuorumGate(s2, "b", 2, 10000, exact);
            QuorumGate c = new QuorumGate(s3, "c", 3, 10000, ahead);
            a.record(Platform.GENESYS, HealthStatus.Up);
            behind.advance(Duration.ofMillis(900));
            a.record(Platform.GENESYS, HealthStatus.Down);
            b.record(Platform.GENESYS, HealthStatus.Down);
            ahead.advance(Duration.ofMillis(300));
            c.record(Platform.GENESYS, HealthStatus.Down);
            for (QuorumGate g : List.of(a, b, c)) {
                assertThat(g.tally(Platform.GENESYS)).as("every observer's view, whatever its clock")
                        .isEqualTo(new QuorumGate.Tally(3, 3));
            }
            // The window still ends: 11 s later by the clock that is behind, every vote has aged out of it
            behind.advance(Duration.ofSeconds(21));
            assertThat(a.tally(Platform.GENESYS).down()).isZero();
        }
    }

    /** A store whose observation writes or reads fail while the test says so (a DynamoDB outage, a locked file). */
    static final class FlakyStore implements Store {
        final Store delegate;
        volatile boolean failWrites;
        volatile boolean failReads;

        FlakyStore(Store delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<StoreItem> get(String table, String pk, String sk) {
            return delegate.get(table, pk, sk);
        }

        @Override
        public boolean putIfAbsent(StoreItem item) {
            if (failWrites) {
                throw new StoreUnavailableException("store unavailable (test)", null);
            }
            return delegate.putIfAbsent(item);
        }

        @Override
        public boolean putIfVersion(StoreItem item, long expectedVersion) {
            return delegate.putIfVersion(item, expectedVersion);
        }

        @Override
        public List<Boolean> putGuarded(List<GuardedWrite> writes) {
            return delegate.putGuarded(writes);
        }

        @Override
        public List<StoreItem> query(String table, String pk, int limit) {
            if (failReads) {
                throw new StoreUnavailableException("store unavailable (test)", null);
            }
            return delegate.query(table, pk, limit);
        }

        @Override
        public int purgeExpired(Instant now) {
            return delegate.purgeExpired(now);
        }

        @Override
        public boolean isAvailable() {
            return !failWrites && !failReads;
        }

        @Override
        public String describe() {
            return "flaky " + delegate.describe();
        }

        @Override
        public void close() {
            // the test closes the delegate
        }
    }
}
