package dev.ccaasfailover.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FailoverConfigTest {

    /** The shipped application.properties, with {{env:...}} placeholders resolved to empty like an unset variable. */
    static Map<String, String> shipped() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(r);
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).startsWith("{{env:") ? "" : p.getProperty(k)));
        return m;
    }

    static FailoverConfig load(Map<String, String> props) {
        return FailoverConfig.load(props::get);
    }

    static Map<String, String> with(String... keyValues) throws IOException {
        Map<String, String> m = shipped();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void shippedPropertiesStartOnSafeEmbeddedDefaults() throws IOException {
        FailoverConfig c = load(shipped());
        assertThat(c.primary()).isEqualTo(Platform.GENESYS);
        assertThat(c.secondary()).isEqualTo(Platform.NICE);
        assertThat(c.health().timeoutMs()).isEqualTo(5000);
        assertThat(c.health().downThreshold()).isEqualTo(3);
        assertThat(c.dns().provider()).isEqualTo(FailoverConfig.DnsProvider.NONE);
        assertThat(c.dns().ttl()).isEqualTo(60);
        assertThat(c.store().kind()).isEqualTo(FailoverConfig.StoreKind.EMBEDDED);
        assertThat(c.store().retentionDays()).isEqualTo(90);
        assertThat(c.events().maxFutureSkewMs()).isEqualTo(300000);
        assertThat(c.runbook().forceMinIntervalMs()).isEqualTo(60000);
        assertThat(c.platform(Platform.GENESYS).apiConfigured()).isFalse();
        assertThat(c.agents().unknownPresenceReason()).isEqualTo("SystemMaintenance");
        assertThat(c.agents().genesysRatePerMinute()).isEqualTo(300);
        assertThat(c.agents().concurrency()).isEqualTo(8);
        assertThat(c.agents().maxRetries()).isEqualTo(5);
        assertThat(c.agents().niceApiPath()).isEqualTo("/incontactapi/services/v31.0");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "failover.health.timeout-ms|-5|must be greater than zero",
            "failover.health.down-threshold|0|must be greater than zero",
            "failover.health.interval-ms|soon|is not a whole number",
            "failover.primary|avaya|unknown platform 'avaya'; write one of genesys or nice",
            "failover.secondary|genesys|same platform as failover.primary",
            "failover.store.kind|postgres|unknown value 'postgres'; write one of embedded, dynamodb",
            "failover.dns.provider|azure|unknown value 'azure'; write one of route53, route53-arc, rfc2136, none",
            "failover.dns.ttl|900|the guide's TTL trap",
            "failover.dns.target.nice|sip:nice-secondary.trunk.example.com:5060|a CNAME holds a host name only",
            "failover.dns.target.genesys|not a host!|is not a host name",
            "failover.dns.propagation.resolvers|resolver.carrier.example|is not a resolver address; write IP addresses",
            "failover.dns.propagation.resolvers|198.51.100.53:0|is not a resolver address",
            "failover.dns.propagation.resolvers|999.1.1.1|is not a resolver address",
            "failover.dns.propagation.poll-ms|2000000|is longer than failover.dns.propagation.timeout-ms",
            "failover.platform.genesys.base-url|api.mypurecloud.com|not an absolute http(s) URL",
            "failover.platform.nice.token-url|https://exa mple.com/x|not a valid URL",
            "failover.platform.genesys.api-health-url|https://login.mypurecloud.com/api/v2/organizations/me|the guide's trap",
            "failover.platform.genesys.api-health-url|https://api.mypurecloud.com/api/v2/health|Genesys Cloud has no /api/v2/health",
            "failover.platform.genesys.sip-uri|http://genesys-trunk.example.com|write e.g. sip:",
            "failover.capacity.threshold|1.5|must be above 0 and at most 1",
            "failover.capacity.utilization|load|unknown value 'load'; write one of occupancy, queue-pressure",
            "failover.capacity.poll-ms|0|must be greater than zero",
            "failover.store.retention-days|0|must be greater than zero",
            "failover.store.dynamodb.write-concurrency|0|must be greater than zero",
            "failover.store.dynamodb.write-concurrency|65|must be between 1 and 64",
            "failover.store.sqlite.busy-timeout-ms|0|must be greater than zero",
            "failover.store.sqlite.busy-timeout-ms|60000|must be between 1 and 30000 ms",
            "failover.health.latency-threshold-ms|9000|must be below failover.health.timeout-ms",
            "failover.health.confirm-interval-ms|0|must be greater than zero",
            "failover.health.sip-interval-ms|0|must be greater than zero",
            "failover.health.sip-interval-ms|5s|is not a whole number",
            "failover.health.sip-alive-codes|100|not a final SIP response",
            "failover.health.sip-alive-codes|ok|is not a SIP status code",
            "failover.health.quorum|-2|must be greater than zero",
            "failover.runbook.step-attempts|0|must be greater than zero",
            "failover.runbook.step-attempts|50|too long before operators see it failed",
            "failover.runbook.backoff-initial-ms|fast|is not a whole number",
            "failover.runbook.backoff-max-ms|10|is below failover.runbook.backoff-initial-ms",
            "failover.runbook.lockout-ms|-1|must not be negative",
            "failover.runbook.force-min-interval-ms|-1|must not be negative",
            "failover.runbook.vendor-timeout-ms|0|must be greater than zero",
            "failover.failback.auto|yes|is not a boolean",
            "failover.failback.stable-ms|0|must be greater than zero",
            "failover.dns.route53.insync-timeout-ms|0|must be greater than zero",
            "failover.dns.route53.insync-poll-ms|999999|is longer than failover.dns.route53.insync-timeout-ms",
            "failover.notify.sns.topic-arn|ccaas-runs|is not an SNS topic ARN",
            "failover.notify.sns.endpoint|localhost:4566|not an absolute http(s) URL",
            "failover.events.default-region|XX|not a region libphonenumber knows",
            "failover.events.sns.allowed-topic-arns|arn:aws:sqs:us-east-1:123456789012:q|not an SNS topic ARN",
            "failover.events.sqs.queue-url|sqs.us-east-1.amazonaws.com/1/q|not an absolute http(s) URL",
            "failover.events.sqs.max-receives|0|must be greater than zero",
            "failover.events.max-future-skew-ms|-5|must not be negative",
            "failover.events.max-future-skew-ms|86400001|is more than a day",
            "failover.events.sqs.endpoint|localhost:4566|not an absolute http(s) URL",
            "failover.agents.genesys.rate-per-minute|0|must be greater than zero",
            "failover.agents.genesys.rate-per-minute|2|is too low",
            "failover.agents.nice.rate-per-minute|fast|is not a whole number",
            "failover.agents.concurrency|500|too many threads",
            "failover.agents.max-retries|-1|must be between 0 and 20",
            "failover.agents.max-retries|many|is not a whole number",
            "failover.agents.nice.api-path|https://api.example.com/x|is not a path",
            "failover.agents.login-watch-ms|0|must be greater than zero",
            "failover.agents.login-poll-ms|soon|is not a whole number",
            "failover.agents.login-poll-ms|99999999|must be below failover.agents.login-watch-ms",
    })
    void badValueStopsStartUpWithOneLineNamingKeyAndFix(String key, String value, String expected) throws IOException {
        assertStartUpRefused(with(key, value), key, expected);
    }

    @Test
    void route53WithoutHostedZoneNamesTheMissingKey() throws IOException {
        Map<String, String> props = with("failover.dns.provider", "route53",
                "failover.dns.record-name", "inbound.voiceservices.example.com",
                "failover.dns.target.genesys", "genesys-primary.trunk.example.com",
                "failover.dns.target.nice", "nice-secondary.trunk.example.com");
        assertThatThrownBy(() -> load(props)).hasMessageStartingWith("failover.dns.route53.hosted-zone-id: is required");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "failover.dns.rfc2136.server||failover.dns.rfc2136.server: is required with dns.provider=rfc2136",
            "failover.dns.rfc2136.server|192.0.2.53,192.0.2.54|an UPDATE goes to the zone's primary only",
            "failover.dns.rfc2136.zone|other.example.org|does not hold failover.dns.record-name",
            "failover.dns.rfc2136.tsig-algorithm|hmac-md4|unknown value 'hmac-md4'; write one of",
            "failover.dns.rfc2136.tsig-secret||failover.dns.rfc2136.tsig-secret: is required",
            "failover.dns.rfc2136.tsig-secret|c2hvcnQ=|is shorter than 16 bytes",
            "failover.dns.rfc2136.tsig-secret|not base64!|is not base64",
    })
    void rfc2136KeysAreCheckedAtStartUp(String key, String value, String expected) throws IOException {
        Map<String, String> props = rfc2136();
        props.put(key, value == null ? "" : value);
        assertStartUpRefused(props, key, expected);
    }

    @Test
    void rfc2136DerivesTheZoneFromTheRecordAndKeepsTheSecretOutOfToString() throws IOException {
        Map<String, String> props = rfc2136();
        props.remove("failover.dns.rfc2136.zone");
        FailoverConfig c = load(props);
        FailoverConfig.Rfc2136Settings rfc = c.dns().rfc2136();
        assertThat(rfc.zone()).isEqualTo("voiceservices.example.com");
        assertThat(rfc.server().getPort()).isEqualTo(53);
        assertThat(rfc.algorithm()).isEqualTo("hmac-sha256");
        assertThat(c.toString()).doesNotContain("MDEyMzQ1Njc4OWFiY2RlZg==");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "failover.carrier.twilio.trunk-sid|TK123|is not a Twilio trunk SID",
            "failover.carrier.twilio.username||failover.carrier.twilio.username: is required",
            "failover.carrier.twilio.username|admin|is neither an API Key SID",
            "failover.carrier.twilio.secret||failover.carrier.twilio.secret: is required",
            "failover.carrier.twilio.sip-url.nice|sips:nice.example.com|is not a sip: URL",
            "failover.carrier.twilio.sip-url.nice|sip:genesys.example.com|is the primary's URL too",
            "failover.carrier.twilio.base-url|trunking.twilio.com|not an absolute http(s) URL",
            "failover.carrier.twilio.check-ms|0|must be greater than zero",
    })
    void carrierKeysAreCheckedAtStartUp(String key, String value, String expected) throws IOException {
        Map<String, String> props = carrier();
        props.put(key, value == null ? "" : value);
        assertStartUpRefused(props, key, expected);
    }

    @Test
    void aCarrierTrunkIsReadWithoutItsSecretInToStringAndIsOffWithoutATrunkSid() throws IOException {
        FailoverConfig c = load(carrier());
        assertThat(c.carrier().sipUrls()).containsEntry(Platform.NICE, "sip:nice.example.com");
        assertThat(c.carrier().toString()).doesNotContain("twilio-secret-value");
        assertThat(load(shipped()).carrier()).isNull();
    }

    /** One start-up line, starting with the key and naming the fix; nothing loaded. */
    private static void assertStartUpRefused(Map<String, String> props, String key, String expected) {
        assertThatThrownBy(() -> load(props))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith(key + ": ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    private static Map<String, String> carrier() throws IOException {
        return with("failover.carrier.twilio.trunk-sid", "TK0123456789abcdef0123456789abcdef",
                "failover.carrier.twilio.username", "SK0123456789abcdef0123456789abcdef",
                "failover.carrier.twilio.secret", "twilio-secret-value",
                "failover.carrier.twilio.sip-url.genesys", "sip:genesys.example.com",
                "failover.carrier.twilio.sip-url.nice", "sip:nice.example.com");
    }

    private static Map<String, String> rfc2136() throws IOException {
        return with("failover.dns.provider", "rfc2136",
                "failover.dns.record-name", "inbound.voiceservices.example.com",
                "failover.dns.target.genesys", "genesys-primary.trunk.example.com",
                "failover.dns.target.nice", "nice-secondary.trunk.example.com",
                "failover.dns.rfc2136.server", "192.0.2.53",
                "failover.dns.rfc2136.zone", "voiceservices.example.com",
                "failover.dns.rfc2136.tsig-key-name", "ccaas-failover",
                "failover.dns.rfc2136.tsig-secret", "MDEyMzQ1Njc4OWFiY2RlZg==");
    }

    static final String ARC_GENESYS =
            "arn:aws:route53-recovery-control::123456789012:controlpanel/0123456789abcdef0123456789abcdef/routingcontrol/aaaa1111bbbb2222";
    static final String ARC_NICE =
            "arn:aws:route53-recovery-control::123456789012:controlpanel/0123456789abcdef0123456789abcdef/routingcontrol/cccc3333dddd4444";
    static final String ARC_RULE =
            "arn:aws:route53-recovery-control::123456789012:controlpanel/0123456789abcdef0123456789abcdef/safetyrule/eeee5555ffff6666";
    static final String ARC_ENDPOINTS = "https://aaaa.route53-recovery-cluster.us-east-1.amazonaws.com/v1@us-east-1,"
            + "https://bbbb.route53-recovery-cluster.ap-southeast-2.amazonaws.com/v1@ap-southeast-2,"
            + "https://cccc.route53-recovery-cluster.eu-west-1.amazonaws.com/v1@eu-west-1,"
            + "https://dddd.route53-recovery-cluster.us-west-2.amazonaws.com/v1@us-west-2,"
            + "https://eeee.route53-recovery-cluster.ap-northeast-1.amazonaws.com/v1@ap-northeast-1";

    private static Map<String, String> route53Arc() throws IOException {
        return with("failover.dns.provider", "route53-arc",
                "failover.dns.record-name", "inbound.voiceservices.example.com",
                "failover.dns.target.genesys", "genesys-primary.trunk.example.com",
                "failover.dns.target.nice", "nice-secondary.trunk.example.com",
                "failover.dns.route53-arc.cluster-endpoints", ARC_ENDPOINTS,
                "failover.dns.route53-arc.routing-control-arn.genesys", ARC_GENESYS,
                "failover.dns.route53-arc.routing-control-arn.nice", ARC_NICE);
    }

    @Test
    void route53ArcReadsTheClusterEndpointsInOrderWithTheirRegionsAndBothRoutingControls() throws IOException {
        FailoverConfig c = load(route53Arc());
        assertThat(c.dns().provider()).isEqualTo(FailoverConfig.DnsProvider.ROUTE53_ARC);
        assertThat(c.dns().provider().configValue()).isEqualTo("route53-arc");
        FailoverConfig.Route53ArcSettings arc = c.dns().route53Arc();
        assertThat(arc.endpoints()).extracting(FailoverConfig.ClusterEndpoint::region)
                .containsExactly("us-east-1", "ap-southeast-2", "eu-west-1", "us-west-2", "ap-northeast-1");
        assertThat(arc.endpoints().get(0).url().toString()).isEqualTo("https://aaaa.route53-recovery-cluster.us-east-1.amazonaws.com/v1");
        assertThat(arc.routingControlArns()).containsEntry(Platform.GENESYS, ARC_GENESYS).containsEntry(Platform.NICE, ARC_NICE);
        assertThat(arc.safetyRulesToOverride()).isEmpty();
        assertThat(c.warnings()).noneSatisfy(w -> assertThat(w).contains("cluster-endpoints"));
        assertThat(c.dns().rfc2136()).isNull();
    }

    @Test
    void route53ArcTakesSafetyRulesToOverrideAndWarnsOfAnIncompleteEndpointList() throws IOException {
        Map<String, String> props = route53Arc();
        props.put("failover.dns.route53-arc.cluster-endpoints", "https://aaaa.route53-recovery-cluster.us-east-1.amazonaws.com/v1@us-east-1");
        props.put("failover.dns.route53-arc.safety-rules-to-override", ARC_RULE);
        FailoverConfig c = load(props);
        assertThat(c.dns().route53Arc().safetyRulesToOverride()).containsExactly(ARC_RULE);
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("failover.dns.route53-arc.cluster-endpoints lists 1 endpoint")
                .contains("five"));
    }

    @Test
    void route53ArcAcceptsPlainHttpOnLoopbackOnly() throws IOException {
        Map<String, String> props = route53Arc();
        props.put("failover.dns.route53-arc.cluster-endpoints", "http://127.0.0.1:4566/v1@us-east-1,http://localhost:4567/v1@eu-west-1");
        assertThat(load(props).dns().route53Arc().endpoints()).hasSize(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "failover.dns.route53-arc.cluster-endpoints||failover.dns.route53-arc.cluster-endpoints: is required with dns.provider=route53-arc",
            "failover.dns.route53-arc.cluster-endpoints|https://aaaa.route53-recovery-cluster.us-east-1.amazonaws.com/v1|has no region; write each endpoint as URL@region",
            "failover.dns.route53-arc.cluster-endpoints|aaaa.route53-recovery-cluster.us-east-1.amazonaws.com@us-east-1|is not an absolute https URL",
            "failover.dns.route53-arc.cluster-endpoints|http://arc.example.com/v1@us-east-1|is plain http",
            "failover.dns.route53-arc.cluster-endpoints|https://arc.example.com/v1@Oregon|is not an AWS region",
            "failover.dns.route53-arc.cluster-endpoints|https://aaaa.route53-recovery-cluster.us-east-1.amazonaws.com/v1@us-west-2|signed for its endpoint's region: write https://aaaa.route53-recovery-cluster.us-east-1.amazonaws.com/v1@us-east-1",
            "failover.dns.route53-arc.cluster-endpoints|https://arc.example.com/v1@us-east-1,https://arc.example.com/v1@us-east-1|twice",
            "failover.dns.route53-arc.routing-control-arn.genesys||failover.dns.route53-arc.routing-control-arn.genesys: is required",
            "failover.dns.route53-arc.routing-control-arn.nice|arn:aws:route53-recovery-control::1234:controlpanel/a/routingcontrol/b|is not a routing control ARN",
            "failover.dns.route53-arc.routing-control-arn.nice|arn:aws:route53-recovery-control::123456789012:controlpanel/abc/safetyrule/def|is not a routing control ARN",
            "failover.dns.route53-arc.routing-control-arn.nice|" + ARC_GENESYS + "|is the same routing control as the other platform's",
            "failover.dns.route53-arc.safety-rules-to-override|" + ARC_NICE + "|is not a safety rule ARN",
            "failover.dns.route53-arc.call-timeout-ms|0|must be greater than zero",
            "failover.dns.route53-arc.call-timeout-ms|60000|would hold a failover for minutes",
    })
    void route53ArcKeysAreCheckedAtStartUp(String key, String value, String expected) throws IOException {
        Map<String, String> props = route53Arc();
        props.put(key, value == null ? "" : value);
        assertStartUpRefused(props, key, expected);
    }

    @Test
    void ttlAboveSixtyStartsWithAWarning() throws IOException {
        FailoverConfig c = load(with("failover.dns.ttl", "120"));
        assertThat(c.dns().ttl()).isEqualTo(120);
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("failover.dns.ttl=120"));
    }

    @Test
    void emptyRoleTokenLocksTheRoleAndSaysSo() throws IOException {
        FailoverConfig c = load(with("failover.security.token.admin", "s3cret"));
        assertThat(c.roleTokens()).containsOnlyKeys("admin");
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("failover.security.token.ingest is empty"));
        assertThat(c.toString()).doesNotContain("s3cret");
    }

    @Test
    void httpTimeoutsDefaultToTheShippedValuesAndABadOneNamesItsKey() throws IOException {
        FailoverConfig.HttpSettings h = load(shipped()).http();
        assertThat(h.headerTimeoutMs()).isEqualTo(10000);
        assertThat(h.bodyTimeoutMs()).isEqualTo(30000);
        assertThat(h.idleTimeoutMs()).isEqualTo(60000);
        assertThatThrownBy(() -> load(with("failover.http.header-timeout-ms", "0")))
                .hasMessageStartingWith("failover.http.header-timeout-ms: must be greater than zero");
        assertThatThrownBy(() -> load(with("failover.http.idle-timeout-ms", "10s")))
                .hasMessageStartingWith("failover.http.idle-timeout-ms: '10s' is not a whole number");
    }

    @Test
    void eventDefaultsAreUsWithSnsAndSqsOff() throws IOException {
        FailoverConfig.EventSettings e = load(shipped()).events();
        assertThat(e.defaultRegion()).isEqualTo("US");
        assertThat(e.snsAllowedTopicArns()).isEmpty();
        assertThat(e.sqsEnabled()).isFalse();
        assertThat(e.sqsMaxReceives()).isEqualTo(5);
    }

    @Test
    void sqsQueueWithoutDeadLetterQueueNamesTheMissingKey() throws IOException {
        Map<String, String> props = with("failover.events.sqs.queue-url", "https://sqs.us-east-1.amazonaws.com/123456789012/events");
        assertThatThrownBy(() -> load(props)).hasMessageStartingWith("failover.events.sqs.dlq-url: is required");
    }

    @Test
    void allowedTopicArnsAreAList() throws IOException {
        FailoverConfig c = load(with("failover.events.sns.allowed-topic-arns",
                "arn:aws:sns:us-east-1:123456789012:a, arn:aws:sns:eu-west-1:123456789012:b", "failover.events.default-region", "gb"));
        assertThat(c.events().snsAllowedTopicArns()).hasSize(2);
        assertThat(c.events().defaultRegion()).isEqualTo("GB");
    }

    @Test
    void propagationResolversAreIpAddressesWithPort53ByDefaultAndTheWatchIsOffWithoutThem() throws IOException {
        assertThat(load(shipped()).dns().propagation().enabled()).isFalse();
        FailoverConfig.PropagationSettings p = load(with("failover.dns.propagation.resolvers",
                "198.51.100.53, 198.51.100.54:5353,[2001:db8::53]:53")).dns().propagation();
        assertThat(p.resolvers()).extracting(a -> a.getAddress().getHostAddress() + " " + a.getPort())
                .containsExactly("198.51.100.53 53", "198.51.100.54 5353", "2001:db8:0:0:0:0:0:53 53");
        assertThat(p.timeoutMs()).isEqualTo(900_000);
        assertThat(p.pollMs()).isEqualTo(15_000);
    }

    @Test
    void hostNameTargetWithTrailingDotIsAccepted() throws IOException {
        FailoverConfig c = load(with("failover.dns.target.nice", "nice-secondary.trunk.example.com."));
        assertThat(c.dns().targets().get(Platform.NICE)).isEqualTo("nice-secondary.trunk.example.com");
    }

    @Test
    void runbookDefaultsAreSafeNoAutomaticFailbackAndALockout() throws IOException {
        FailoverConfig c = load(shipped());
        assertThat(c.runbook().failbackAuto()).isFalse();
        assertThat(c.runbook().lockoutMs()).isEqualTo(600000);
        assertThat(c.runbook().stepAttempts()).isEqualTo(4);
        assertThat(c.runbook().dnsInsyncTimeoutMs()).isEqualTo(120000);
        assertThat(c.notifications().snsTopicArn()).isNull();
    }

    @Test
    void anSnsTopicArnIsAccepted() throws IOException {
        FailoverConfig c = load(with("failover.notify.sns.topic-arn", "arn:aws:sns:us-east-1:123456789012:ccaas-failover-runs"));
        assertThat(c.notifications().snsTopicArn()).endsWith(":ccaas-failover-runs");
    }

    @Test
    void missingKeysGetTheDocumentedDefaults() {
        FailoverConfig c = FailoverConfig.load(key -> null); // nothing set at all: no file, no -D, no environment
        Properties documented = ConfigReader.documented();
        assertThat(c.primary().id()).isEqualTo(documented.getProperty("failover.primary"));
        assertThat(c.health().intervalMs()).isEqualTo(Long.parseLong(documented.getProperty("failover.health.interval-ms")));
        assertThat(c.health().sipIntervalMs()).isEqualTo(Long.parseLong(documented.getProperty("failover.health.sip-interval-ms")));
        assertThat(c.health().timeoutMs()).isEqualTo(5000);
        assertThat(c.health().downThreshold()).isEqualTo(3);
        assertThat(c.health().sipAliveCodes()).containsExactly(200);
        assertThat(c.health().instanceId()).isNotBlank();
        assertThat(c.dns().provider()).isEqualTo(FailoverConfig.DnsProvider.NONE);
        assertThat(c.dns().ttl()).isEqualTo(60);
        assertThat(c.store().kind()).isEqualTo(FailoverConfig.StoreKind.EMBEDDED);
        assertThat(c.store().dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.store().tablePrefix()).isEqualTo("ccaas-failover-");
        assertThat(c.store().retentionDays()).isEqualTo(90);
        assertThat(c.mappingsDir()).isEqualTo(Path.of("mappings"));
        assertThat(c.capacity().threshold()).isEqualTo(0.8);
        assertThat(c.capacity().utilization()).isEqualTo(FailoverConfig.Utilization.OCCUPANCY);
        assertThat(c.runbook().failbackAuto()).isFalse();
        assertThat(c.runbook().dnsInsyncTimeoutMs()).isEqualTo(120000);
        assertThat(c.runbook().dnsInsyncPollMs()).isEqualTo(2000);
        assertThat(c.events().defaultRegion()).isEqualTo("US");
        assertThat(c.events().sqsMaxReceives()).isEqualTo(5);
        assertThat(c.agents().maxRetries()).isEqualTo(5);
        assertThat(c.agents().niceApiPath()).isEqualTo("/incontactapi/services/v31.0");
        assertThat(c.http().idleTimeoutMs()).isEqualTo(60000);
        // a blank value is a missing one
        assertThat(FailoverConfig.load(key -> key.equals("failover.dns.ttl") ? " " : null).dns().ttl()).isEqualTo(60);
    }

    @Test
    void everyKeyTheConfigurationReadsIsDocumentedInApplicationProperties() throws IOException {
        java.util.Set<String> read = new java.util.TreeSet<>();
        FailoverConfig.load(key -> {
            read.add(key);
            return null;
        });
        assertThat(read).isNotEmpty();
        // read for both platforms, meaningful for one only (access keys are NICE's, trunk base settings Genesys'); no default
        read.removeAll(java.util.List.of("failover.platform.genesys.access-key-id", "failover.platform.genesys.access-key-secret",
                "failover.platform.nice.trunk-base-settings-ids"));
        assertThat(shipped().keySet()).containsAll(read);
        // and the defaults are the shipped file's: the jar's copy is built from it
        Properties documented = ConfigReader.documented();
        shipped().forEach((k, v) -> {
            if (!documented.getProperty(k, "").startsWith("{{env:")) {
                assertThat(documented.getProperty(k)).as(k).isEqualTo(v);
            }
        });
    }
}
