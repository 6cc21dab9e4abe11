package dev.ccaasfailover.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Rounds of writers that all call putIfVersion from the same version at the same moment (released together by a
 * barrier). A store that fences correctly lets exactly one writer win each round.
 */
final class VersionRace {

    /** One round: the version every writer expected, who won, and what the store held afterwards. */
    record Round(long fromVersion, List<Integer> winners, StoreItem after) {
    }

    private VersionRace() {
    }

    /**
     * @param writers one store per writer thread; the same instance may appear several times
     * @param key     an item already stored (version >= 1)
     */
    static List<Round> run(List<Store> writers, StoreItem key, int rounds) throws Exception {
        Store reader = writers.get(0);
        ExecutorService pool = Executors.newFixedThreadPool(writers.size());
        try {
            List<Round> results = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                long from = reader.get(key.table(), key.pk(), key.sk()).orElseThrow().version();
                CyclicBarrier start = new CyclicBarrier(writers.size());
                List<Future<Boolean>> attempts = new ArrayList<>();
                for (int w = 0; w < writers.size(); w++) {
                    Store writer = writers.get(w);
                    StoreItem mine = key.withData("{\"writer\":" + w + "}");
                    attempts.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return writer.putIfVersion(mine, from);
                    }));
                }
                List<Integer> winners = new ArrayList<>();
                for (int w = 0; w < attempts.size(); w++) {
                    if (attempts.get(w).get(30, TimeUnit.SECONDS)) {
                        winners.add(w);
                    }
                }
                results.add(new Round(from, winners, reader.get(key.table(), key.pk(), key.sk()).orElseThrow()));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
