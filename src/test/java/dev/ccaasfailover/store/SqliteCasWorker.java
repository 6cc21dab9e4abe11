package dev.ccaasfailover.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.LongConsumer;

/**
 * The second process of {@link SqliteStoreTest}'s cross-process race. Arguments: the data directory and the number
 * of rounds. It opens the store, warms up, prints "ready", waits for "go <epochMillis>" on stdin, then takes part in
 * every round, printing "won <version>" for each round it wins and "done" at the end.
 */
public final class SqliteCasWorker {

    static final StoreItem COUNTER = StoreItem.of("control", "control-plane", "counter", "{}", null);
    static final long SLOT_MILLIS = 10;

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        try (SqliteStore store = new SqliteStore(dataDir, Clock.systemUTC())) {
            warmUp(store, "child");
            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String go = in.readLine();
            if (go == null || !go.startsWith("go ")) {
                return;
            }
            race(store, Long.parseLong(go.substring(3)), rounds, "child", v -> System.out.println("won " + v));
            System.out.println("done");
            System.out.flush();
        }
    }

    /** Runs the read and write paths, so a cold JVM does not hand every round to a warm one. */
    static void warmUp(Store store, String who) {
        StoreItem scratch = StoreItem.of("control", "warm-up", who, "{}", null);
        store.putIfAbsent(scratch);
        for (int i = 0; i < 200; i++) {
            long version = store.get(scratch.table(), scratch.pk(), scratch.sk()).orElseThrow().version();
            store.putIfVersion(scratch, version);
        }
    }

    /**
     * Round r (from 1) starts at firstRoundAt + (r-1) slots on the wall clock both processes share: each process
     * waits until the counter is at version r, then writes from r. Both write from the same version at about the
     * same moment, so each round is a real race with exactly one rightful winner.
     */
    static void race(Store store, long firstRoundAt, int rounds, String who, LongConsumer onWin)
            throws InterruptedException {
        for (long round = 1; round <= rounds; round++) {
            Thread.sleep(Math.max(0, firstRoundAt + (round - 1) * SLOT_MILLIS - System.currentTimeMillis()));
            awaitVersion(store, round);
            if (store.putIfVersion(COUNTER.withData("{\"last\":\"" + who + "\"}"), round)) {
                onWin.accept(round);
            }
        }
    }

    private static void awaitVersion(Store store, long version) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (store.get(COUNTER.table(), COUNTER.pk(), COUNTER.sk()).orElseThrow().version() < version) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("counter never reached version " + version);
            }
            Thread.onSpinWait();
        }
    }
}
