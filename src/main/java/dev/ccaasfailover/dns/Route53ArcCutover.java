package dev.ccaasfailover.dns;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.FailoverConfig.ClusterEndpoint;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.runbook.StepFailedException;
import dev.ccaasfailover.runbook.StepState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53recoverycluster.Route53RecoveryClusterClient;
import software.amazon.awssdk.services.route53recoverycluster.model.ConflictException;
import software.amazon.awssdk.services.route53recoverycluster.model.ResourceNotFoundException;
import software.amazon.awssdk.services.route53recoverycluster.model.RoutingControlState;
import software.amazon.awssdk.services.route53recoverycluster.model.UpdateRoutingControlStateEntry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code dns.provider=route53-arc}: the dns step as Route 53 Application Recovery Controller routing controls, one per
 * platform, flipped on the cluster's data plane. The voice record's failover records already exist in Route 53 with
 * health checks tied to the routing controls, so Route 53 answers the target platform's record once its control is On:
 * nothing here calls Route 53's control plane, which a regional AWS event can impair.
 * <p>Every call goes to the cluster's regional endpoints in turn (AWS's "accessing Regional cluster endpoints in
 * sequence"), each client signed for its endpoint's region: no answer, a 5xx, throttling or an endpoint that says it
 * is unavailable moves on to the next; a refusal (access, validation, unknown control, a safety rule) stops at once,
 * since every endpoint serves the same controls and rules.
 */
public final class Route53ArcCutover implements DnsCutover {

    private static final Logger LOG = LoggerFactory.getLogger(Route53ArcCutover.class);
    /** Answers that say "this endpoint, now": another endpoint may well answer. */
    private static final Set<String> TRY_NEXT = Set.of("ThrottlingException", "InternalServerException",
            "EndpointTemporarilyUnavailableException");
    /** The endpoint's signature check: a region paired wrongly in cluster-endpoints refuses here but not at the others. */
    private static final String SIGNATURE_REFUSED = "InvalidSignatureException";

    /** One cluster endpoint with its own client, signed for the endpoint's region. */
    record Endpoint(ClusterEndpoint address, Route53RecoveryClusterClient client) {
        @Override
        public String toString() {
            return address.region() + " (" + address.url() + ")";
        }
    }

    /** What an endpoint answered, and which endpoint it was. */
    private record Answer<T>(T value, Endpoint endpoint) { }

    private final FailoverConfig.DnsSettings dns;
    private final FailoverConfig.Route53ArcSettings arc;
    private final List<Endpoint> endpoints;
    private final AwsCredentialsProvider credentials;

    /**
     * @param callTimeout bounds one call to one endpoint (connect, read and the whole call): five slow endpoints
     *                    then cost at most five of these before the attempt fails
     */
    public Route53ArcCutover(FailoverConfig.DnsSettings dns, Duration callTimeout, AwsCredentialsProvider credentials) {
        this.dns = dns;
        this.arc = dns.route53Arc();
        this.credentials = credentials;
        List<Endpoint> built = new ArrayList<>();
        for (ClusterEndpoint e : arc.endpoints()) {
            built.add(new Endpoint(e, Route53RecoveryClusterClient.builder()
                    .endpointOverride(e.url())
                    .region(Region.of(e.region()))
                    .credentialsProvider(credentials)
                    .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(callTimeout).socketTimeout(callTimeout))
                    // the next endpoint is the retry: the SDK's own retries would hold us on a failing one
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                            .apiCallTimeout(callTimeout).apiCallAttemptTimeout(callTimeout))
                    .build()));
        }
        this.endpoints = List.copyOf(built);
    }

    /** Credentials from the SDK's default chain, like the route53 provider; one call per endpoint bounded by {@code call-timeout-ms}. */
    public static Route53ArcCutover create(FailoverConfig config) {
        return new Route53ArcCutover(config.dns(), Duration.ofMillis(config.dns().route53Arc().callTimeoutMs()),
                DefaultCredentialsProvider.builder().build());
    }

    @Override
    public boolean configured() {
        return true;
    }

    /** Both routing controls, read from the first endpoint that answers for both; holds when the target's is On and the other's Off. */
    @Override
    public StepState read(String platform) {
        Platform target = Platform.parse("platform", platform);
        Answer<Map<Platform, RoutingControlState>> states = states();
        boolean holds = states.value().get(target) == RoutingControlState.ON && states.value().get(other(target)) == RoutingControlState.OFF;
        return new StepState("dns", describe(target, states.value()) + " (read via " + states.endpoint().address().region() + ")",
                "routing controls: " + target.id() + " On, " + other(target).id() + " Off", holds, null);
    }

    /**
     * One UpdateRoutingControlStates: the target's control On and the other's Off in the same call. The cluster applies
     * a batch whole, so there is never a moment with both Off (no platform answering the record: the fail-open that
     * ARC's usual "at least one On" assertion rule exists to refuse) nor, after it, both On. Returns the target platform.
     */
    @Override
    public String upsert(String platform) {
        Platform target = Platform.parse("platform", platform);
        List<UpdateRoutingControlStateEntry> entries = List.of(
                UpdateRoutingControlStateEntry.builder().routingControlArn(arc.routingControlArns().get(target))
                        .routingControlState(RoutingControlState.ON).build(),
                UpdateRoutingControlStateEntry.builder().routingControlArn(arc.routingControlArns().get(other(target)))
                        .routingControlState(RoutingControlState.OFF).build());
        Answer<Object> done = inTurn("UpdateRoutingControlStates", client -> client.updateRoutingControlStates(r -> r
                .updateRoutingControlStateEntries(entries).safetyRulesToOverride(arc.safetyRulesToOverride())));
        LOG.info("ARC routing controls {} On, {} Off accepted by {}{}", target.id(), other(target).id(), done.endpoint(),
                arc.safetyRulesToOverride().isEmpty() ? "" : " overriding safety rules " + arc.safetyRulesToOverride());
        return target.id();
    }

    /**
     * The data plane is consistent across the cluster's endpoints once UpdateRoutingControlStates has returned, so
     * there is nothing to wait for: this reads the states back (endpoints in turn) for the journal. Route 53 then
     * follows through the routing controls' health checks; the split-brain watch asks the carriers' resolvers.
     */
    @Override
    public String awaitInSync(String platform) {
        Platform target = Platform.parse("platform", platform);
        Answer<Map<Platform, RoutingControlState>> states = states();
        return describe(target, states.value()) + " via " + states.endpoint().address().region();
    }

    private Answer<Map<Platform, RoutingControlState>> states() {
        return inTurn("GetRoutingControlState", client -> {
            Map<Platform, RoutingControlState> m = new EnumMap<>(Platform.class);
            for (Platform p : Platform.values()) {
                m.put(p, client.getRoutingControlState(r -> r.routingControlArn(arc.routingControlArns().get(p))).routingControlState());
            }
            return m;
        });
    }

    /** "routing controls: nice On, genesys Off": the target platform first. */
    private static String describe(Platform target, Map<Platform, RoutingControlState> states) {
        return "routing controls: " + target.id() + " " + states.get(target) + ", " + other(target).id() + " " + states.get(other(target));
    }

    /** The call on each endpoint in order until one answers; see the class comment for what moves on and what stops. */
    private <T> Answer<T> inTurn(String operation, Function<Route53RecoveryClusterClient, T> call) {
        List<String> failures = new ArrayList<>();
        boolean transientSeen = false;
        for (Endpoint e : endpoints) {
            try {
                return new Answer<>(call.apply(e.client()), e);
            } catch (AwsServiceException ex) {
                String code = ex.awsErrorDetails() == null ? null : ex.awsErrorDetails().errorCode();
                String message = ex.awsErrorDetails() == null ? ex.getMessage() : ex.awsErrorDetails().errorMessage();
                if (code != null && (TRY_NEXT.contains(code) || code.equals(SIGNATURE_REFUSED)) || ex.statusCode() >= 500) {
                    transientSeen |= !SIGNATURE_REFUSED.equals(code);
                    failures.add(e + ": " + (code == null ? "HTTP " + ex.statusCode() : code) + " " + message
                            + (SIGNATURE_REFUSED.equals(code) ? " (is " + e.address().region() + " that endpoint's region?)" : ""));
                    LOG.warn("ARC {} on {} failed: {} {}; trying the next endpoint", operation, e, code, message);
                    continue;
                }
                throw new StepFailedException("ARC " + operation + " refused by " + e + ": " + code + ": " + message + hint(ex), false);
            } catch (SdkClientException ex) {
                if (Thread.currentThread().isInterrupted()) {
                    throw ex; // the runbook is stopping: no next endpoint
                }
                transientSeen = true;
                failures.add(e + ": no answer (" + ex.getMessage() + ")");
                LOG.warn("ARC {} on {} got no answer: {}; trying the next endpoint", operation, e, ex.getMessage());
            }
        }
        // Retryable while any endpoint failed for a passing reason; signature refusals alone are the configuration's.
        throw new StepFailedException("ARC " + operation + ": none of the " + endpoints.size() + " cluster endpoints answered ("
                + String.join("; ", failures) + ")" + (transientSeen ? "" : "; check the regions in failover.dns.route53-arc.cluster-endpoints"),
                transientSeen);
    }

    private String hint(AwsServiceException ex) {
        String code = ex.awsErrorDetails() == null ? "" : ex.awsErrorDetails().errorCode();
        return switch (code) {
            case "AccessDeniedException" -> " (grant these credentials route53-recovery-cluster:UpdateRoutingControlStates and"
                    + " route53-recovery-cluster:GetRoutingControlState on both routing controls)";
            case "ResourceNotFoundException" -> " (" + (ex instanceof ResourceNotFoundException nf && nf.resourceId() != null
                    ? nf.resourceId() : "a routing control") + " is not on this cluster: check failover.dns.route53-arc.routing-control-arn.*"
                    + " against the cluster of failover.dns.route53-arc.cluster-endpoints)";
            case "ConflictException" -> " (a safety rule refuses the change" + (ex instanceof ConflictException c && c.resourceId() != null
                    ? ": " + c.resourceId() : "") + "; see the rule in the ARC console, or to break glass add its ARN to"
                    + " failover.dns.route53-arc.safety-rules-to-override)";
            case "ValidationException" -> " (check failover.dns.route53-arc.routing-control-arn.* and safety-rules-to-override)";
            default -> "";
        };
    }

    private static Platform other(Platform p) {
        return p == Platform.GENESYS ? Platform.NICE : Platform.GENESYS;
    }

    @Override
    public void close() {
        endpoints.forEach(e -> e.client().close());
        if (credentials instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing the AWS credentials provider: {}", e.toString());
            }
        }
    }
}
