package dev.ccaasfailover.observe;

import dev.ccaasfailover.store.Store;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Readiness includes the store: an instance whose writes fail must not be sent traffic it would have to refuse.
 * {@link Store#isAvailable()} says whether writes succeed (the latest write, or a tiny write probe); it runs on a
 * thread of its own and readiness answers within {@link #DEADLINE} whatever the store does: a store that has not
 * answered by then is DOWN, and the next check waits for that same call rather than starting another.
 */
public class StoreReadinessCheck extends AbstractHealthCheck {

    static final Duration DEADLINE = Duration.ofMillis(900);

    private final Store store;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "store-readiness");
        t.setDaemon(true);
        return t;
    });
    private CompletableFuture<Boolean> inFlight;

    public StoreReadinessCheck(Store store) {
        super("ccaas-failover", "store");
        this.store = store;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("store", store.describe());
        CompletableFuture<Boolean> call;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = CompletableFuture.supplyAsync(store::isAvailable, prober);
            }
            call = inFlight;
        }
        try {
            if (call.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                builder.up();
            } else {
                builder.message("store writes fail: " + store.describe()).down();
            }
        } catch (TimeoutException e) {
            builder.message("store did not answer within " + DEADLINE.toMillis() + " ms: " + store.describe()).down();
        } catch (ExecutionException e) {
            builder.message("store check failed: " + e.getCause().getMessage()).down();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            builder.message("interrupted").down();
        }
    }
}
