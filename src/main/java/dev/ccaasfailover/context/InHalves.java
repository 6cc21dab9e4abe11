package dev.ccaasfailover.context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.FutureTask;
import java.util.function.IntFunction;

/**
 * Maps the indexes of a large ingest array in two halves, the second on another core while the calling thread does
 * the first: a client that sends one array and waits for its answer leaves the other core idle, and validating 500
 * events is CPU work in series with the durable write. When no other thread is free the caller runs the second half
 * itself (a {@link FutureTask} runs once), so under load it costs nothing but a queued task.
 *
 * <p>Semantics are those of a loop from 0 to n: the result is in index order, and the failure reported is the one
 * of the lowest failing index (a bad element of the first half wins over one of the second).
 */
final class InHalves {

    /** Below this, one loop on the calling thread (handing work over costs more than it saves). */
    static final int MIN_PARALLEL = 64;

    private InHalves() {
    }

    static <R> List<R> map(int n, IntFunction<R> f) {
        if (n < MIN_PARALLEL || ForkJoinPool.getCommonPoolParallelism() < 1) {
            return range(0, n, f);
        }
        int mid = n / 2;
        FutureTask<List<R>> second = new FutureTask<>(() -> range(mid, n, f));
        ForkJoinPool.commonPool().execute(second);
        List<R> out;
        try {
            out = range(0, mid, f);
        } catch (RuntimeException firstHalfFailure) {
            second.cancel(false);
            throw firstHalfFailure;
        }
        second.run(); // no-op if a pool thread has taken it
        out.addAll(join(second));
        return out;
    }

    /** The half's result, waiting without giving up: it is CPU work already under way, and short. */
    private static <R> List<R> join(FutureTask<List<R>> half) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return half.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static <R> List<R> range(int from, int to, IntFunction<R> f) {
        List<R> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(f.apply(i));
        }
        return out;
    }
}
