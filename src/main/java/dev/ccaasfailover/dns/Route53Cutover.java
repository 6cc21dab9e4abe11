package dev.ccaasfailover.dns;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.runbook.StepFailedException;
import dev.ccaasfailover.runbook.StepState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.core.waiters.WaiterOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.Route53ClientBuilder;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.GetChangeRequest;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.waiters.Route53Waiter;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The DNS step on Route 53 through the AWS SDK: read the voice CNAME, UPSERT it to a platform's trunk host with the
 * configured TTL, wait (bounded, with the SDK's Route 53 waiter) for GetChange to say INSYNC, read it back. With {@code dns.provider=none} every
 * read reports "does not apply" and nothing is called.
 */
public class Route53Cutover implements DnsCutover {

    private static final Logger LOG = LoggerFactory.getLogger(Route53Cutover.class);

    private final FailoverConfig.DnsSettings dns;
    private final long insyncTimeoutMs;
    private final long insyncPollMs;
    private final Route53Client client;

    public Route53Cutover(FailoverConfig.DnsSettings dns, long insyncTimeoutMs, long insyncPollMs, Route53Client client) {
        this.dns = dns;
        this.insyncTimeoutMs = insyncTimeoutMs;
        this.insyncPollMs = insyncPollMs;
        this.client = client;
    }

    /** A client with the default credential chain; endpoint override from {@code dns.route53.endpoint}; null for none. */
    public static Route53Cutover create(FailoverConfig config) {
        FailoverConfig.DnsSettings dns = config.dns();
        Route53Client client = null;
        if (dns.provider() == FailoverConfig.DnsProvider.ROUTE53) {
            Route53ClientBuilder b = Route53Client.builder()
                    .region(Region.AWS_GLOBAL)
                    .httpClientBuilder(UrlConnectionHttpClient.builder()
                            .socketTimeout(Duration.ofMillis(config.runbook().vendorTimeoutMs()))
                            .connectionTimeout(Duration.ofMillis(config.runbook().vendorTimeoutMs())));
            if (dns.route53Endpoint() != null) {
                b.endpointOverride(dns.route53Endpoint());
            }
            client = b.build();
        }
        return new Route53Cutover(dns, config.runbook().dnsInsyncTimeoutMs(), config.runbook().dnsInsyncPollMs(), client);
    }

    @Override
    public boolean configured() {
        return client != null;
    }

    public String targetHost(String platform) {
        return dns.targets().get(Platform.parse("platform", platform));
    }

    @Override
    public StepState read(String platform) {
        if (!configured()) {
            return new StepState("dns", "n/a", "n/a", true, NOT_CONFIGURED);
        }
        String target = targetHost(platform);
        String current = currentValue();
        String wanted = dns.recordName() + " CNAME " + target + " TTL " + dns.ttl();
        return new StepState("dns", current == null ? "no CNAME " + dns.recordName() : current, wanted,
                wanted.equals(current), null);
    }

    /** "name CNAME value TTL n" of the record as Route 53 lists it, or null when absent. */
    String currentValue() {
        String name = normalise(dns.recordName());
        List<ResourceRecordSet> sets = client.listResourceRecordSets(r -> r.hostedZoneId(dns.hostedZoneId())
                .startRecordName(dns.recordName()).startRecordType(RRType.CNAME).maxItems("1")).resourceRecordSets();
        for (ResourceRecordSet s : sets) {
            if (normalise(s.name()).equals(name) && s.type() == RRType.CNAME && !s.resourceRecords().isEmpty()) {
                return dns.recordName() + " CNAME " + normalise(s.resourceRecords().get(0).value()) + " TTL " + s.ttl();
            }
        }
        return null;
    }

    /** UPSERTs the CNAME to the platform's trunk host; returns the change id. */
    @Override
    public String upsert(String platform) {
        String target = targetHost(platform);
        ResourceRecordSet set = ResourceRecordSet.builder().name(dns.recordName()).type(RRType.CNAME).ttl((long) dns.ttl())
                .resourceRecords(ResourceRecord.builder().value(target).build()).build();
        String changeId = client.changeResourceRecordSets(r -> r.hostedZoneId(dns.hostedZoneId())
                        .changeBatch(b -> b.comment("ccaas-failover: calls to " + platform)
                                .changes(Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(set).build())))
                .changeInfo().id();
        LOG.info("Route 53 UPSERT {} CNAME {} TTL {} submitted as change {}", dns.recordName(), target, dns.ttl(), changeId);
        return changeId;
    }

    /**
     * Waits with the SDK's ResourceRecordSetsChanged waiter (GetChange until INSYNC) every {@code insync-poll-ms},
     * bounded by {@code insync-timeout-ms}; a change still PENDING then fails the attempt (retryable).
     */
    @Override
    public String awaitInSync(String changeId) throws InterruptedException {
        WaiterOverrideConfiguration bound = WaiterOverrideConfiguration.builder()
                .waitTimeout(Duration.ofMillis(insyncTimeoutMs))
                .maxAttempts(Integer.MAX_VALUE) // the time bound decides, not a count of GetChange calls
                .backoffStrategyV2(BackoffStrategy.fixedDelay(Duration.ofMillis(insyncPollMs)))
                .build();
        try (Route53Waiter waiter = Route53Waiter.builder().client(client).overrideConfiguration(bound).build()) {
            waiter.waitUntilResourceRecordSetsChanged(GetChangeRequest.builder().id(changeId).build());
            LOG.info("Route 53 change {} is INSYNC", changeId);
            return "Route 53 change " + changeId + " INSYNC";
        } catch (SdkClientException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw interrupted;
            }
            if (cause instanceof RuntimeException callFailed) {
                throw callFailed; // GetChange itself failed (e.g. NoSuchChange, throttled): as before the waiter
            }
            if (cause != null) {
                throw e;
            }
            // the waiter's own refusal: time bound reached while GetChange still said PENDING
            throw new StepFailedException("Route 53 change " + changeId + " still PENDING after " + insyncTimeoutMs
                    + " ms (" + e.getMessage() + ")", true);
        }
    }

    private static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
