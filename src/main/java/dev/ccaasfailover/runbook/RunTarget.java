package dev.ccaasfailover.runbook;

import dev.ccaasfailover.config.FailoverConfig;
import org.apache.camel.Exchange;

/**
 * What a run (or its dry run) aims at, as the exchange properties the step routes read: {@code runKind},
 * {@code targetPlatform}, {@code primaryPlatform}, {@code trunkEnabled} (the wanted trunk state: false on failover,
 * true on failback) and {@code trunkAction} (disable | enable).
 */
record RunTarget(RunKind kind, String targetPlatform, String primaryPlatform) {

    static RunTarget of(RunKind kind, FailoverConfig config) {
        return new RunTarget(kind, kind.target(config.primary(), config.secondary()).id(), config.primary().id());
    }

    void applyTo(Exchange exchange) {
        exchange.setProperty("runKind", kind.id());
        exchange.setProperty("targetPlatform", targetPlatform);
        exchange.setProperty("primaryPlatform", primaryPlatform);
        // failover switches the primary's trunk off; failback switches it on again
        exchange.setProperty("trunkEnabled", kind == RunKind.FAILBACK);
        exchange.setProperty("trunkAction", kind == RunKind.FAILBACK ? "enable" : "disable");
    }
}
