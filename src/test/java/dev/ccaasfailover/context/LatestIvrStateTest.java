package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.store.GuardedWrite;
import dev.ccaasfailover.store.SqliteStore;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caller's latest IVR state is one item of the caller's {@code events} partition (sk {@code ~ivr}): a context
 * read is one Query however many heartbeats a caller sent, and the item never moves backwards in time.
 */
class LatestIvrStateTest {

    static final Instant T0 = Instant.now().minus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    static final String PHONE = "+13175550160";

    @TempDir
    Path dir;
    SqliteStore sqlite;
    CountingStore store;
    EventIngest ingest;
    CustomerContext context;

    @BeforeEach
    void open() {
        Clock clock = Clock.fixed(T0.plus(1, ChronoUnit.DAYS), ZoneOffset.UTC);
        sqlite = new SqliteStore(dir, clock);
        store = new CountingStore(sqlite);
        PhoneNormalizer phones = new PhoneNormalizer("US");
        ingest = new EventIngest(new EventTranslator(EventMappings.load(Path.of("mappings")), phones), store, clock, 90, 300_000);
        context = new CustomerContext(store, phones);
    }

    @AfterEach
    void close() {
        sqlite.close();
    }

    static String ts(long seconds) {
        return T0.plusSeconds(seconds).toString();
    }

    static String heartbeat(String id, String callId, String step, long seconds) {
        return ContextEvents.canonical(id, "IVRState", "genesys", callId, PHONE, ts(seconds),
                "\"currentStep\":\"" + step + "\",\"intent\":\"billing\"");
    }

    EventIngest.Outcome post(List<String> events) {
        return ingest.ingest(EventIngest.parse("[" + String.join(",", events) + "]"));
    }

    JsonNode contextRead() {
        return Json.MAPPER.valueToTree(context.forPhone(PHONE));
    }

    @Test
    void threeHundredHeartbeatsNeverCrowdCallsOutAndTheReadIsOneQuery() {
        List<String> events = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            long start = c * 1000L;
            events.add(ContextEvents.canonical("call-" + c, "CallStarted", "genesys", "hb-call-" + c, PHONE, ts(start), null));
            if (c < 5) {
                events.add(ContextEvents.canonical("end-" + c, "CallEnded", "genesys", "hb-call-" + c, PHONE, ts(start + 600), null));
            }
            for (int h = 0; h < 50; h++) {
                events.add(heartbeat("hb-" + c + "-" + h, "hb-call-" + c, "Step" + c + "-" + h, start + 10L * h));
            }
        }
        Collections.shuffle(events, new Random(3)); // the newest heartbeat is not the last element
        EventIngest.Outcome o = post(events);
        assertThat(o.stored()).isEqualTo(311);
        assertThat(store.putGuardedCalls.get()).isEqualTo(1);

        assertThat(sqlite.query(ContextTables.EVENTS, PHONE, 1000)).hasSize(12); // 11 call events + the ~ivr item

        store.queries.set(0);
        JsonNode ctx = contextRead();
        assertThat(store.queries.get()).isEqualTo(1);
        assertThat(ctx.get("previousInteractions").findValuesAsText("callId"))
                .containsExactly("hb-call-5", "hb-call-4", "hb-call-3", "hb-call-2", "hb-call-1");
        assertThat(ctx.at("/lastIvrState/currentStep").asText()).isEqualTo("Step5-49");
        assertThat(ctx.at("/lastIvrState/callId").asText()).isEqualTo("hb-call-5");
        assertThat(ctx.at("/lastIvrState/timestamp").asText()).isEqualTo(CanonicalEvent.format(T0.plusSeconds(5490)));
        assertThat(ctx.get("currentIntent").asText()).isEqualTo("billing");

        // Every heartbeat is still in its call.
        @SuppressWarnings("unchecked")
        List<CanonicalEvent> call = (List<CanonicalEvent>) context.call("hb-call-5").get("events");
        assertThat(call).hasSize(51);
        assertThat(call.stream().filter(e -> e.type() == EventType.IVRState)).hasSize(50);
    }

    @Test
    void anOlderHeartbeatArrivingLateDoesNotRewindTheLastIvrState() {
        post(List.of(heartbeat("late-2", "late-call", "Payment", 100)));
        StoreItem before = latestItem().orElseThrow();
        assertThat(before.expiresAt()).isEqualTo(T0.plusSeconds(100).plus(90, ChronoUnit.DAYS)); // retention kept

        EventIngest.Outcome o = post(List.of(heartbeat("late-1", "late-call", "MainMenu", 50)));

        assertThat(o.stored()).isEqualTo(1);
        assertThat(latestItem().orElseThrow()).isEqualTo(before);
        assertThat(contextRead().at("/lastIvrState/currentStep").asText()).isEqualTo("Payment");
        assertThat((List<?>) context.call("late-call").get("events")).hasSize(2);

        // Within one array too: the newest wins whatever its position.
        post(List.of(heartbeat("late-4", "late-call", "Confirm", 200), heartbeat("late-3", "late-call", "Review", 150)));
        assertThat(contextRead().at("/lastIvrState/currentStep").asText()).isEqualTo("Confirm");
    }

    @Test
    void aDuplicateHeartbeatChangesNothing() {
        post(List.of(heartbeat("dup-1", "dup-call", "MainMenu", 100)));
        post(List.of(heartbeat("dup-2", "dup-call", "Payment", 110)));
        StoreItem before = latestItem().orElseThrow();

        // The same event again, and an event that reuses an old event id with a newer timestamp: both duplicates.
        EventIngest.Outcome again = post(List.of(heartbeat("dup-2", "dup-call", "Payment", 110),
                heartbeat("dup-1", "dup-call", "Goodbye", 500)));

        assertThat(again.duplicates()).isEqualTo(2);
        assertThat(latestItem().orElseThrow()).isEqualTo(before);
        assertThat(contextRead().at("/lastIvrState/currentStep").asText()).isEqualTo("Payment");
        assertThat((List<?>) context.call("dup-call").get("events")).hasSize(2);
    }

    @Test
    void concurrentIngestsLeaveTheNewestHeartbeat() throws Exception {
        int threads = 4;
        int perThread = 40;
        AtomicInteger seq = new AtomicInteger();
        List<Long> seconds = new ArrayList<>();
        for (int i = 0; i < threads * perThread; i++) {
            seconds.add((long) i * 10);
        }
        Collections.shuffle(seconds, new Random(5));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        int n = seq.getAndIncrement();
                        long s = seconds.get(n);
                        post(List.of(heartbeat("race-" + n, "race-call", "Step" + s, s)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long newest = (threads * perThread - 1) * 10L;
        assertThat(contextRead().at("/lastIvrState/currentStep").asText()).isEqualTo("Step" + newest);
    }

    Optional<StoreItem> latestItem() {
        return sqlite.get(ContextTables.EVENTS, PHONE, ContextTables.LATEST_IVR_SK);
    }

    /** Counts the queries and batch writes that reach the store. */
    static final class CountingStore implements Store {
        final Store delegate;
        final AtomicInteger queries = new AtomicInteger();
        final AtomicInteger putGuardedCalls = new AtomicInteger();

        CountingStore(Store delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<StoreItem> get(String table, String pk, String sk) {
            return delegate.get(table, pk, sk);
        }

        @Override
        public boolean putIfAbsent(StoreItem item) {
            return delegate.putIfAbsent(item);
        }

        @Override
        public boolean putIfVersion(StoreItem item, long expectedVersion) {
            return delegate.putIfVersion(item, expectedVersion);
        }

        @Override
        public List<Boolean> putGuarded(List<GuardedWrite> writes) {
            putGuardedCalls.incrementAndGet();
            return delegate.putGuarded(writes);
        }

        @Override
        public List<StoreItem> query(String table, String pk, int limit) {
            queries.incrementAndGet();
            return delegate.query(table, pk, limit);
        }

        @Override
        public int purgeExpired(Instant now) {
            return delegate.purgeExpired(now);
        }

        @Override
        public boolean isAvailable() {
            return delegate.isAvailable();
        }

        @Override
        public String describe() {
            return delegate.describe();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
