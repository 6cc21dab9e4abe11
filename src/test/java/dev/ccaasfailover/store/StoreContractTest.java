package dev.ccaasfailover.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ccaasfailover.testsupport.MutableClock;

/**
 * The semantics every store adapter must share: subclasses only say how to open an adapter over their backing
 * storage. Instants are whole seconds because DynamoDB keeps expiry in epoch seconds.
 */
abstract class StoreContractTest {

    // In the future, so an emulator that honours TTL against its own wall clock never deletes a "live" item.
    protected static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final String CALLER = "+15551230001";
    private static final String OTHER_CALLER = "+15551230002";

    protected MutableClock clock;
    protected Store store;

    /** A new adapter over the same backing data as every other call to this method within one test. */
    protected abstract Store openStore(Clock clock);

    /** Whether purgeExpired itself deletes; false where the database expires items server-side. */
    protected abstract boolean purgeExpiredDeletes();

    @BeforeEach
    void openStoreUnderTest() {
        clock = new MutableClock(START);
        store = openStore(clock);
    }

    @AfterEach
    void closeStoreUnderTest() {
        store.close();
    }

    @Test
    void getOfAMissingKeyIsEmpty() {
        assertThat(store.get("calls", "no-such-call", "state")).isEmpty();
    }

    @Test
    void putIfAbsentStoresTheItemAtVersionOne() {
        Instant expiry = START.plus(Duration.ofDays(90));

        assertThat(store.putIfAbsent(StoreItem.of("calls", "call-1", "state", "{\"step\":\"ivr\"}", expiry))).isTrue();

        assertThat(store.get("calls", "call-1", "state")).contains(
                new StoreItem("calls", "call-1", "state", 1, "{\"step\":\"ivr\"}", expiry));
    }

    @Test
    void aSecondPutIfAbsentOnTheSameKeyIsADuplicateAndKeepsTheFirstData() {
        store.putIfAbsent(StoreItem.of("dedupe", "event-42", "-", "{\"first\":true}", null));

        assertThat(store.putIfAbsent(StoreItem.of("dedupe", "event-42", "-", "{\"first\":false}", null))).isFalse();

        StoreItem kept = store.get("dedupe", "event-42", "-").orElseThrow();
        assertThat(kept.data()).isEqualTo("{\"first\":true}");
        assertThat(kept.version()).isEqualTo(1);
    }

    @Test
    void putIfVersionWithTheCurrentVersionWinsAndBumpsTheVersion() {
        StoreItem state = StoreItem.of("control", "control-plane", "state", "NORMAL", null);
        store.putIfAbsent(state);

        assertThat(store.putIfVersion(state.withData("FAILING_OVER"), 1)).isTrue();
        assertThat(store.putIfVersion(state.withData("FAILED_OVER"), 2)).isTrue();

        StoreItem now = store.get("control", "control-plane", "state").orElseThrow();
        assertThat(now.version()).isEqualTo(3);
        assertThat(now.data()).isEqualTo("FAILED_OVER");
    }

    @Test
    void putIfVersionWithAStaleVersionLosesAndChangesNothing() {
        StoreItem state = StoreItem.of("control", "control-plane", "state", "NORMAL", null);
        store.putIfAbsent(state);
        store.putIfVersion(state.withData("FAILING_OVER"), 1);

        assertThat(store.putIfVersion(state.withData("FAILING_BACK"), 1)).isFalse();

        StoreItem now = store.get("control", "control-plane", "state").orElseThrow();
        assertThat(now.version()).isEqualTo(2);
        assertThat(now.data()).isEqualTo("FAILING_OVER");
    }

    @Test
    void putIfVersionOnAnItemThatDoesNotExistLoses() {
        assertThat(store.putIfVersion(StoreItem.of("control", "nobody", "state", "NORMAL", null), 1)).isFalse();
        assertThat(store.get("control", "nobody", "state")).isEmpty();
    }

    @Test
    void putIfVersionFromZeroMeansOnlyIfAbsent() {
        StoreItem state = StoreItem.of("control", "control-plane", "state", "NORMAL", null);

        assertThat(store.putIfVersion(state, 0)).isTrue();
        assertThat(store.putIfVersion(state.withData("FAILING_OVER"), 0)).isFalse();

        assertThat(store.get("control", "control-plane", "state").orElseThrow())
                .extracting(StoreItem::version, StoreItem::data).containsExactly(1L, "NORMAL");
    }

    /**
     * A guarded heartbeat: dedupe guard (its data the event's time, as ingest's holds callId and timestamp), call
     * item, and the forward put of the caller's ~ivr item.
     */
    private static GuardedWrite heartbeat(String caller, String eventId, String time, Instant expiry) {
        String order = time + "#" + eventId;
        return new GuardedWrite(StoreItem.of("dedupe", eventId, "event", "{\"t\":\"" + time + "\"}", expiry),
                List.of(StoreItem.of("calls", "call-" + caller, order, "{\"id\":\"" + eventId + "\"}", expiry)),
                List.of(new ForwardPut(StoreItem.of("events", caller, "~ivr", "{\"id\":\"" + eventId + "\"}", expiry),
                        order)));
    }

    private String ivrData(String caller) {
        return store.get("events", caller, "~ivr").orElseThrow().data();
    }

    @Test
    void aForwardPutAdvancesTheItemWhenNewerAndNeverRewindsIt() {
        Instant expiry = START.plus(Duration.ofDays(90));

        assertThat(store.putGuarded(List.of(heartbeat(CALLER, "e2", "2030-01-01T00:00:02.000Z", expiry))))
                .containsExactly(true);
        assertThat(store.get("events", CALLER, "~ivr").orElseThrow())
                .isEqualTo(new StoreItem("events", CALLER, "~ivr", 1, "{\"id\":\"e2\"}", expiry));

        // Older: stored in its call, but the item stays.
        assertThat(store.putGuarded(List.of(heartbeat(CALLER, "e1", "2030-01-01T00:00:01.000Z", expiry))))
                .containsExactly(true);
        assertThat(ivrData(CALLER)).isEqualTo("{\"id\":\"e2\"}");
        assertThat(store.query("calls", "call-" + CALLER, 10)).hasSize(2);

        // Newer advances it; within one list the newest wins whatever its position; the same time breaks ties by id.
        assertThat(store.putGuarded(List.of(
                heartbeat(CALLER, "e5", "2030-01-01T00:00:05.000Z", expiry),
                heartbeat(CALLER, "e3", "2030-01-01T00:00:03.000Z", expiry),
                heartbeat(OTHER_CALLER, "o1", "2030-01-01T00:00:01.000Z", expiry)))).containsExactly(true, true, true);
        assertThat(ivrData(CALLER)).isEqualTo("{\"id\":\"e5\"}");
        assertThat(ivrData(OTHER_CALLER)).isEqualTo("{\"id\":\"o1\"}");
        store.putGuarded(List.of(heartbeat(CALLER, "e6", "2030-01-01T00:00:05.000Z", expiry)));
        assertThat(ivrData(CALLER)).isEqualTo("{\"id\":\"e6\"}");
        assertThat(store.get("events", CALLER, "~ivr").orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void aDifferentEventReusingAGuardKeyAppliesNoneOfItsForwardPuts() {
        Instant expiry = START.plus(Duration.ofDays(90));
        store.putGuarded(List.of(heartbeat(CALLER, "e1", "2030-01-01T00:00:01.000Z", expiry)));

        // The same event id again, now claiming a later time: a duplicate, and the item does not move.
        assertThat(store.putGuarded(List.of(heartbeat(CALLER, "e1", "2030-01-01T00:00:09.000Z", expiry))))
                .containsExactly(false);

        assertThat(ivrData(CALLER)).isEqualTo("{\"id\":\"e1\"}");
        assertThat(store.query("calls", "call-" + CALLER, 10)).hasSize(1);
    }

    @Test
    void theSameWriteSentAgainRepairsAForwardPutThatWasLostButNeverMovesBack() {
        Instant expiry = START.plus(Duration.ofDays(90));
        GuardedWrite e1 = heartbeat(CALLER, "e1", "2030-01-01T00:00:01.000Z", expiry);
        // As a crash between the event's transaction and its forward put leaves it (DynamoDB): no ~ivr item.
        store.putGuarded(List.of(new GuardedWrite(e1.guard(), e1.with())));
        assertThat(store.get("events", CALLER, "~ivr")).isEmpty();

        // The client's retry: still a duplicate, and now the item holds the heartbeat.
        assertThat(store.putGuarded(List.of(e1))).containsExactly(false);
        assertThat(ivrData(CALLER)).isEqualTo("{\"id\":\"e1\"}");

        // After a newer heartbeat, the same retry changes nothing: forward puts never move back.
        store.putGuarded(List.of(heartbeat(CALLER, "e2", "2030-01-01T00:00:02.000Z", expiry)));
        assertThat(store.putGuarded(List.of(e1))).containsExactly(false);
        assertThat(ivrData(CALLER)).isEqualTo("{\"id\":\"e2\"}");
        assertThat(store.query("calls", "call-" + CALLER, 10)).hasSize(2);
    }

    @Test
    void aForwardPutReplacesAnExpiredItemAndOneWrittenWithoutAnOrder() {
        Instant expiry = START.plus(Duration.ofDays(90));
        store.putGuarded(List.of(heartbeat(CALLER, "e9", "2030-01-01T00:00:09.000Z", START.plusSeconds(10))));
        store.putIfAbsent(StoreItem.of("events", OTHER_CALLER, "~ivr", "{\"id\":\"legacy\"}", expiry));
        clock.advance(Duration.ofSeconds(15));
        assertThat(store.get("events", CALLER, "~ivr")).isEmpty();

        // Older than the expired item's order, yet it takes the key: an expired item holds nothing.
        store.putGuarded(List.of(heartbeat(CALLER, "e1", "2030-01-01T00:00:01.000Z", expiry),
                heartbeat(OTHER_CALLER, "o1", "2030-01-01T00:00:01.000Z", expiry)));

        assertThat(store.get("events", CALLER, "~ivr").orElseThrow())
                .isEqualTo(new StoreItem("events", CALLER, "~ivr", 1, "{\"id\":\"e1\"}", expiry));
        assertThat(ivrData(OTHER_CALLER)).isEqualTo("{\"id\":\"o1\"}");
    }

    @Test
    void theLatestItemSortsAfterEveryTimestampedKey() {
        store.putIfAbsent(StoreItem.of("events", CALLER, "2030-01-01T00:00:00.000Z#e1", "{}", null));
        store.putIfAbsent(StoreItem.of("events", CALLER, "~ivr", "{}", null));
        store.putIfAbsent(StoreItem.of("events", CALLER, "9999-12-31T23:59:59.999Z#zz", "{}", null));

        assertThat(store.query("events", CALLER, 10)).extracting(StoreItem::sk)
                .containsExactly("~ivr", "9999-12-31T23:59:59.999Z#zz", "2030-01-01T00:00:00.000Z#e1");
    }

    @Test
    void writersRacingFromTheSameVersionNeverBothWin() throws Exception {
        StoreItem state = StoreItem.of("control", "control-plane", "state", "NORMAL", null);
        store.putIfAbsent(state);

        List<VersionRace.Round> rounds = VersionRace.run(Collections.nCopies(8, store), state, 5);

        for (VersionRace.Round round : rounds) {
            assertThat(round.winners()).as("winners from version %d", round.fromVersion()).hasSize(1);
            assertThat(round.after().version()).isEqualTo(round.fromVersion() + 1);
            assertThat(round.after().data()).isEqualTo("{\"writer\":" + round.winners().get(0) + "}");
        }
    }

    @Test
    void queryReturnsOnePartitionNewestFirstUpToTheLimit() {
        for (int second = 1; second <= 5; second++) {
            String sk = START.plusSeconds(second).toString();
            store.putIfAbsent(StoreItem.of("events", CALLER, sk, "{\"n\":" + second + "}", null));
        }
        store.putIfAbsent(StoreItem.of("events", OTHER_CALLER, START.plusSeconds(9).toString(), "{}", null));
        store.putIfAbsent(StoreItem.of("calls", CALLER, START.plusSeconds(9).toString(), "{}", null));

        assertThat(store.query("events", CALLER, 3)).extracting(StoreItem::data)
                .containsExactly("{\"n\":5}", "{\"n\":4}", "{\"n\":3}");
        assertThat(store.query("events", CALLER, 100)).extracting(StoreItem::data)
                .containsExactly("{\"n\":5}", "{\"n\":4}", "{\"n\":3}", "{\"n\":2}", "{\"n\":1}");
        assertThat(store.query("events", OTHER_CALLER, 100)).hasSize(1);
        assertThat(store.query("events", "+15559999999", 100)).isEmpty();
    }

    @Test
    void expiredItemsAreInvisibleToGetAndQuery() {
        store.putIfAbsent(StoreItem.of("events", CALLER, "1", "short", START.plusSeconds(10)));
        store.putIfAbsent(StoreItem.of("events", CALLER, "2", "long", START.plusSeconds(20)));
        store.putIfAbsent(StoreItem.of("events", CALLER, "3", "forever", null));

        clock.advance(Duration.ofSeconds(15));

        assertThat(store.get("events", CALLER, "1")).isEmpty();
        assertThat(store.get("events", CALLER, "2")).isPresent();
        assertThat(store.query("events", CALLER, 10)).extracting(StoreItem::data).containsExactly("forever", "long");
        assertThat(store.query("events", CALLER, 2)).extracting(StoreItem::data).containsExactly("forever", "long");
    }

    @Test
    void queryFillsTheLimitWithLiveItemsWhenTheNewestHaveExpired() {
        for (int n = 1; n <= 6; n++) {
            Instant expiry = n >= 4 ? START.plusSeconds(10) : null; // the three newest expire first
            store.putIfAbsent(StoreItem.of("events", CALLER, "000" + n, "{\"n\":" + n + "}", expiry));
        }
        clock.advance(Duration.ofSeconds(11));

        assertThat(store.query("events", CALLER, 2)).extracting(StoreItem::data)
                .containsExactly("{\"n\":3}", "{\"n\":2}");
    }

    @Test
    void anItemIsLiveUpToItsExpiryInstantAndGoneAfterIt() {
        store.putIfAbsent(StoreItem.of("events", CALLER, "1", "x", START.plusSeconds(10)));

        clock.set(START.plusSeconds(10));
        assertThat(store.get("events", CALLER, "1")).isPresent();

        clock.set(START.plusSeconds(11));
        assertThat(store.get("events", CALLER, "1")).isEmpty();
    }

    @Test
    void putIfAbsentOnAnExpiredKeyTakesItOverAtVersionOne() {
        StoreItem old = StoreItem.of("dedupe", "event-7", "-", "old", START.plusSeconds(10));
        store.putIfAbsent(old);
        store.putIfVersion(old.withData("older"), 1);
        clock.advance(Duration.ofSeconds(11));

        assertThat(store.putIfAbsent(StoreItem.of("dedupe", "event-7", "-", "new", null))).isTrue();

        assertThat(store.get("dedupe", "event-7", "-").orElseThrow())
                .extracting(StoreItem::version, StoreItem::data).containsExactly(1L, "new");
    }

    @Test
    void putIfVersionOnAnExpiredItemLosesBecauseTheItemIsGone() {
        StoreItem old = StoreItem.of("control", "lease", "holder", "a", START.plusSeconds(10));
        store.putIfAbsent(old);
        clock.advance(Duration.ofSeconds(11));

        assertThat(store.putIfVersion(old.withData("b"), 1)).isFalse();
        assertThat(store.get("control", "lease", "holder")).isEmpty();
    }

    @Test
    void purgeExpiredRemovesOnlyExpiredItems() {
        store.putIfAbsent(StoreItem.of("events", CALLER, "1", "old", START.plusSeconds(10)));
        store.putIfAbsent(StoreItem.of("events", CALLER, "2", "older", START.plusSeconds(5)));
        store.putIfAbsent(StoreItem.of("events", CALLER, "3", "young", START.plusSeconds(60)));
        store.putIfAbsent(StoreItem.of("events", CALLER, "4", "forever", null));
        clock.advance(Duration.ofSeconds(30));

        int purged = store.purgeExpired(clock.instant());

        if (purgeExpiredDeletes()) {
            assertThat(purged).isEqualTo(2);
        }
        // else: DynamoDB deletes expired items itself (TTL, server-side, within days); purgeExpired returns 0
        // there, and reads must hide expired items in the meantime, which the assertions below still check.
        assertThat(store.query("events", CALLER, 10)).extracting(StoreItem::data).containsExactly("forever", "young");
        clock.advance(Duration.ofSeconds(60));
        assertThat(store.query("events", CALLER, 10)).extracting(StoreItem::data).containsExactly("forever");
    }

    @Test
    void putGuardedWritesTheGuardAndItsItemsTogetherAndSkipsTakenGuards() {
        Instant expiry = START.plus(Duration.ofDays(90));
        store.putIfAbsent(StoreItem.of("dedupe", "event-taken", "event", "{}", expiry));
        GuardedWrite fresh = new GuardedWrite(StoreItem.of("dedupe", "event-1", "event", "{}", expiry),
                List.of(StoreItem.of("events", CALLER, "2030-01-01T00:00:00.000Z#event-1", "{\"n\":1}", expiry),
                        StoreItem.of("calls", "call-1", "2030-01-01T00:00:00.000Z#event-1", "{\"n\":1}", expiry)));
        GuardedWrite taken = new GuardedWrite(StoreItem.of("dedupe", "event-taken", "event", "{}", expiry),
                List.of(StoreItem.of("events", CALLER, "2030-01-01T00:00:01.000Z#event-taken", "{}", expiry)));
        GuardedWrite repeatInSameBatch = new GuardedWrite(StoreItem.of("dedupe", "event-1", "event", "{}", expiry),
                List.of(StoreItem.of("events", CALLER, "2030-01-01T00:00:02.000Z#event-1", "{}", expiry)));

        assertThat(store.putGuarded(List.of(fresh, taken, repeatInSameBatch))).containsExactly(true, false, false);

        assertThat(store.query("events", CALLER, 10)).extracting(StoreItem::sk)
                .containsExactly("2030-01-01T00:00:00.000Z#event-1");
        assertThat(store.get("calls", "call-1", "2030-01-01T00:00:00.000Z#event-1")).isPresent();
        assertThat(store.get("dedupe", "event-1", "event").orElseThrow().version()).isEqualTo(1);
        assertThat(store.putGuarded(List.of())).isEmpty();
    }

    @Test
    void aLongListGivesWhatWritingItOneAfterTheOtherGives() {
        // 120 writes (an adapter may run them at once): guards taken before, guards the list repeats up to three
        // times, and heartbeats of one caller in no particular order. The outcome is the sequential one: the first
        // write of a free guard wins, every later one is a duplicate with nothing of it written, and the caller's
        // ~ivr item holds the newest heartbeat that was written.
        Instant expiry = START.plus(Duration.ofDays(90));
        for (int i = 0; i < 120; i += 10) {
            store.putIfAbsent(StoreItem.of("dedupe", "long-" + i, "event", "{}", expiry));
        }
        List<GuardedWrite> writes = new java.util.ArrayList<>();
        List<Boolean> expected = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Random random = new java.util.Random(7);
        String newestWritten = null;
        for (int n = 0; n < 120; n++) {
            int i = n < 80 ? n : random.nextInt(80); // the last 40 repeat earlier guards
            String id = "long-" + i;
            String time = String.format("2030-01-01T00:%02d:%02d.000Z", (i * 7) % 60, n % 60);
            GuardedWrite w = new GuardedWrite(StoreItem.of("dedupe", id, "event", "{\"n\":" + n + "}", expiry),
                    List.of(StoreItem.of("calls", "long-call", time + "#" + id + "#" + n, "{\"n\":" + n + "}", expiry)),
                    List.of(new ForwardPut(StoreItem.of("events", OTHER_CALLER, "~ivr", "{\"n\":" + n + "}", expiry), time + "#" + id)));
            writes.add(w);
            boolean wins = i % 10 != 0 && seen.add(id);
            expected.add(wins);
            if (wins && (newestWritten == null || (time + "#" + id).compareTo(newestWritten.split("@")[0]) > 0)) {
                newestWritten = time + "#" + id + "@" + n;
            }
        }

        assertThat(store.putGuarded(writes)).containsExactlyElementsOf(expected);

        List<String> written = new java.util.ArrayList<>();
        for (int n = 0; n < writes.size(); n++) {
            if (expected.get(n)) {
                written.add(writes.get(n).with().get(0).sk());
            }
        }
        assertThat(store.query("calls", "long-call", 1000)).extracting(StoreItem::sk)
                .containsExactlyInAnyOrderElementsOf(written);
        assertThat(ivrData(OTHER_CALLER)).isEqualTo("{\"n\":" + newestWritten.split("@")[1] + "}");
    }

    @Test
    void putGuardedIsDurableAcrossReopen() {
        store.putGuarded(List.of(new GuardedWrite(StoreItem.of("dedupe", "event-9", "event", "{}", null),
                List.of(StoreItem.of("events", OTHER_CALLER, "t#event-9", "{}", null)))));
        store.close();

        store = openStore(clock);

        assertThat(store.query("events", OTHER_CALLER, 5)).hasSize(1);
        assertThat(store.putGuarded(List.of(new GuardedWrite(StoreItem.of("dedupe", "event-9", "event", "{}", null),
                List.of())))).containsExactly(false);
    }

    @Test
    void dataSurvivesCloseAndReopen() {
        store.putIfAbsent(StoreItem.of("runs", "run-1", "0001", "{\"step\":\"dns\"}", null));
        store.close();

        store = openStore(clock);

        assertThat(store.get("runs", "run-1", "0001").orElseThrow().data()).isEqualTo("{\"step\":\"dns\"}");
        assertThat(store.putIfAbsent(StoreItem.of("runs", "run-1", "0001", "again", null))).isFalse();
    }

    @Test
    void isAvailableWhileOpenAndDescribesItself() {
        assertThat(store.isAvailable()).isTrue();
        assertThat(store.describe()).isNotBlank();
    }

    @Test
    void theLoginWatchTableLetsExactlyOneInstanceClaimAnAgentAndKeepsItAcrossReopenUntilItExpires() {
        // the login watch's layout (NiceLoginWatch): one partition per target platform, the watch header and one item per agent
        String table = dev.ccaasfailover.agents.NiceLoginWatch.TABLE;
        Instant expires = START.plus(Duration.ofDays(1));
        store.putIfAbsent(StoreItem.of(table, "nice", "watch", "{\"watchUntil\":\"x\"}", expires));
        store.putIfAbsent(StoreItem.of(table, "nice", "agent#200002", "{\"status\":\"pending\"}", expires));
        Store other = openStore(clock); // a second instance on the same data
        try {
            assertThat(store.putIfVersion(StoreItem.of(table, "nice", "agent#200002", "{\"status\":\"applying\",\"by\":\"a\"}",
                    expires), 1)).isTrue();
            assertThat(other.putIfVersion(StoreItem.of(table, "nice", "agent#200002", "{\"status\":\"applying\",\"by\":\"b\"}",
                    expires), 1)).as("the second claim on the same version loses").isFalse();
            assertThat(other.get(table, "nice", "agent#200002").orElseThrow().data()).contains("\"by\":\"a\"");
        } finally {
            other.close();
        }
        store.close();
        store = openStore(clock);

        List<StoreItem> partition = store.query(table, "nice", 1000);
        assertThat(partition).extracting(StoreItem::sk).containsExactly("watch", "agent#200002");
        assertThat(partition.get(1).version()).isEqualTo(2);
        clock.set(expires.plusSeconds(1));
        assertThat(store.query(table, "nice", 1000)).isEmpty();
        assertThat(store.get(table, "nice", "agent#200002")).isEmpty();
    }
}
