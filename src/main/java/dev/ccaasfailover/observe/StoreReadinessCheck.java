package dev.ccaasfailover.observe;

import dev.ccaasfailover.store.Store;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Readiness includes the store: an instance that cannot write must not be sent traffic it would have to refuse. */
public class StoreReadinessCheck extends AbstractHealthCheck {

    private final Store store;

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
        if (store.isAvailable()) {
            builder.up();
        } else {
            builder.message("store does not answer: " + store.describe()).down();
        }
    }
}
