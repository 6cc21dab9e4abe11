package dev.ccaasfailover.dns;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.runbook.StepState;

/**
 * The runbook's dns step on one provider ({@code failover.dns.provider}): point the carrier-facing voice CNAME at a
 * platform's trunk host (route53, rfc2136), or flip the ARC routing controls that choose between its pre-built failover
 * records (route53-arc); the route failover-step-dns calls {@link #read}, {@link #upsert}, {@link #awaitInSync} and
 * {@link #read} again. Bound as bean {@code dnsCutover}.
 */
public interface DnsCutover extends AutoCloseable {

    String NOT_CONFIGURED = "dns.provider=none";

    /** The one for {@code failover.dns.provider}; {@code none} reads "does not apply" and changes nothing. */
    static DnsCutover create(FailoverConfig config) {
        return switch (config.dns().provider()) {
            case RFC2136 -> Rfc2136Cutover.create(config);
            case ROUTE53_ARC -> Route53ArcCutover.create(config);
            case ROUTE53, NONE -> Route53Cutover.create(config);
        };
    }

    /** False with {@code dns.provider=none}. */
    boolean configured();

    /** The record now, compared with where it should point for {@code platform}. */
    StepState read(String platform);

    /** Submits the change to the platform's trunk host; returns what {@link #awaitInSync} waits for. */
    String upsert(String platform);

    /** Waits (bounded) until the provider serves the change; returns what was confirmed, for the journal. */
    String awaitInSync(String change) throws InterruptedException;

    @Override
    void close();
}
