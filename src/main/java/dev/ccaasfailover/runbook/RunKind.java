package dev.ccaasfailover.runbook;

import dev.ccaasfailover.config.Platform;

import java.util.Locale;

/** The two directions of the runbook. Failback is the same plan towards the primary. */
public enum RunKind {
    FAILOVER, FAILBACK;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunKind parse(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }

    /** Where the run moves the calls. */
    public Platform target(Platform primary, Platform secondary) {
        return this == FAILOVER ? secondary : primary;
    }

    public ControlPlaneState.Phase during() {
        return this == FAILOVER ? ControlPlaneState.Phase.FAILING_OVER : ControlPlaneState.Phase.FAILING_BACK;
    }

    public ControlPlaneState.Phase after() {
        return this == FAILOVER ? ControlPlaneState.Phase.FAILED_OVER : ControlPlaneState.Phase.NORMAL;
    }
}
