package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.store.SqliteStore;
import dev.ccaasfailover.store.StoreItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Dedupe as a property: however events are repeated and batched, each event id is stored exactly once. */
class EventIngestPropertyTest {

    static final Instant NOW = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    @TempDir
    Path dir;
    SqliteStore store;
    EventIngest ingest;

    @BeforeEach
    void open() {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        store = new SqliteStore(dir, clock);
        ingest = new EventIngest(new EventTranslator(EventMappings.load(Path.of("mappings")), new PhoneNormalizer("US")),
                store, clock, 90, 300_000);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void randomRepeatsAndBatchesStoreEveryEventIdExactlyOnce() {
        Random random = new Random(7L);
        String[] phones = {"+13175550142", "13175550143", "tel:+1 317-555-0144", "(317) 555-0145"};
        Set<String> seen = new HashSet<>();
        int stored = 0;
        int duplicates = 0;
        for (int round = 0; round < 60; round++) {
            List<String> batch = new ArrayList<>();
            int size = 1 + random.nextInt(40);
            for (int i = 0; i < size; i++) {
                int id = random.nextInt(300);
                batch.add(ContextEvents.canonical("ev-" + id, "CallStarted", id % 2 == 0 ? "genesys" : "nice", "call-" + id,
                        phones[id % phones.length], NOW.minusSeconds(id).toString(), null));
            }
            EventIngest.Outcome o = ingest.ingest(EventIngest.parse("[" + String.join(",", batch) + "]"));
            for (var r : o.results()) {
                boolean fresh = seen.add(r.eventId());
                assertThat(r.result()).isEqualTo(fresh ? "stored" : "duplicate");
            }
            stored += o.stored();
            duplicates += o.duplicates();
        }
        assertThat(stored).isEqualTo(seen.size());
        assertThat(duplicates).isPositive();
        int rows = 0;
        for (String p : new String[]{"+13175550142", "+13175550143", "+13175550144", "+13175550145"}) {
            List<StoreItem> items = store.query(ContextTables.EVENTS, p, 10_000);
            assertThat(items.stream().map(StoreItem::sk).distinct().count()).isEqualTo(items.size());
            rows += items.size();
        }
        assertThat(rows).isEqualTo(seen.size());
    }

    @Test
    void aBadElementAnywhereInABatchWritesNothing() {
        Random random = new Random(11L);
        for (int round = 0; round < 20; round++) {
            int size = 2 + random.nextInt(30);
            int bad = random.nextInt(size);
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                batch.add(ContextEvents.canonical("b" + round + "-" + i, "CallStarted", "nice", "b-call-" + round,
                        i == bad ? "555" : "+13175550150", NOW.toString(), null));
            }
            JsonNode body = EventIngest.parse("[" + String.join(",", batch) + "]");
            assertThatThrownBy(() -> ingest.ingest(body)).isInstanceOf(ApiException.class)
                    .hasMessageStartingWith("[" + bad + "].phoneNumber:");
        }
        assertThat(store.query(ContextTables.EVENTS, "+13175550150", 10)).isEmpty();
    }
}
