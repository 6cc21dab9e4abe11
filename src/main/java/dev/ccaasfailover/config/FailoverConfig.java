package dev.ccaasfailover.config;

import dev.ccaasfailover.health.SipTarget;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The whole {@code failover.*} configuration, validated. Built once at start-up from Camel's property resolver
 * (application.properties, then environment variables and {@code -D} system properties override), so a bad value
 * stops start-up with one line naming the key and the fix, before anything has started. Defaults are not written
 * here: a missing or blank key gets the value the jar's application.properties documents ({@link ConfigReader}).
 * <p>Size: every failover.* key is read and validated here, one record per section, so that a key has one place.
 */
public record FailoverConfig(
        Platform primary,
        Platform secondary,
        HealthSettings health,
        Map<Platform, PlatformSettings> platforms,
        DnsSettings dns,
        StoreSettings store,
        Map<String, String> roleTokens,
        Path mappingsDir,
        CapacitySettings capacity,
        RunbookSettings runbook,
        NotifySettings notifications,
        EventSettings events,
        AgentSettings agents,
        HttpSettings http,
        CarrierSettings carrier,
        List<String> warnings) {

    public static final String PREFIX = "failover.";
    /** What RFC 8945 requires (hmac-sha256) and recommends, as BIND's tsig-keygen names them. */
    static final List<String> TSIG_ALGORITHMS = List.of("hmac-sha256", "hmac-sha384", "hmac-sha512", "hmac-sha224", "hmac-sha1");
    public static final List<String> ROLES = List.of("ingest", "context", "admin");

    /** {@code failover.dns.provider}; the config value is the name in lower case with '-' for '_' (route53-arc). */
    public enum DnsProvider { ROUTE53, ROUTE53_ARC, RFC2136, NONE;

        /** As written in application.properties. */
        public String configValue() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public enum StoreKind { EMBEDDED, DYNAMODB }

    /**
     * @param intervalMs        probe period of the API layer (its cadence is bounded by the vendors' API rate budget)
     * @param sipIntervalMs     probe period of the SIP layer (OPTIONS are cheap; a faster cadence shortens detection)
     * @param confirmIntervalMs re-probe period of a layer after its first Down, until confirmed or cleared
     * @param sipAliveCodes     SIP final responses that count as alive (Kamailio's ds_ping_reply_codes)
     * @param quorum            observers that must agree on a Down before it counts (1 = this instance alone)
     * @param instanceId        this observer's name in the shared store
     */
    public record HealthSettings(long intervalMs, long sipIntervalMs, long timeoutMs, long latencyThresholdMs, int downThreshold, int upThreshold,
                                 long confirmIntervalMs, java.util.Set<Integer> sipAliveCodes, int quorum,
                                 long quorumWindowMs, String instanceId) { }

    public record DnsSettings(DnsProvider provider, String recordName, int ttl, Map<Platform, String> targets,
                              String hostedZoneId, URI route53Endpoint, PropagationSettings propagation,
                              Rfc2136Settings rfc2136, Route53ArcSettings route53Arc) {

        /** Without ARC settings (every provider but route53-arc). */
        public DnsSettings(DnsProvider provider, String recordName, int ttl, Map<Platform, String> targets,
                           String hostedZoneId, URI route53Endpoint, PropagationSettings propagation, Rfc2136Settings rfc2136) {
            this(provider, recordName, ttl, targets, hostedZoneId, route53Endpoint, propagation, rfc2136, null);
        }
    }

    /**
     * {@code dns.provider=route53-arc}: Route 53 Application Recovery Controller routing controls (the cluster's data
     * plane), one per platform, which drive pre-built Route 53 failover records through health checks.
     *
     * @param endpoints             the cluster's regional endpoints, tried in this order
     * @param routingControlArns    the routing control of each platform
     * @param safetyRulesToOverride safety rules the update overrides ("break glass"); usually empty
     * @param callTimeoutMs         bounds one call to one endpoint before the next is tried
     */
    public record Route53ArcSettings(List<ClusterEndpoint> endpoints, Map<Platform, String> routingControlArns,
                                     List<String> safetyRulesToOverride, long callTimeoutMs) { }

    /** One regional endpoint of an ARC cluster (DescribeCluster's ClusterEndpoints[]{Endpoint, Region}). */
    public record ClusterEndpoint(URI url, String region) {
        @Override
        public String toString() {
            return url + "@" + region;
        }
    }

    /**
     * {@code dns.provider=rfc2136}: DNS UPDATE (RFC 2136) signed with TSIG (RFC 8945) to the zone's primary server.
     *
     * @param server    the primary (an IP address, port 53 unless given)
     * @param zone      the zone the record lives in (default: the record name less its first label)
     * @param keyName   the TSIG key's name, as the server's {@code key} statement names it
     * @param algorithm the TSIG algorithm, e.g. hmac-sha256
     * @param secret    the key's base64 secret (from the environment)
     */
    public record Rfc2136Settings(InetSocketAddress server, String zone, String keyName, String algorithm, String secret) {
        @Override
        public String toString() {
            return "Rfc2136Settings[server=" + server + ", zone=" + zone + ", keyName=" + keyName + ", algorithm=" + algorithm
                    + ", secret=" + (secret.isEmpty() ? "" : "***") + "]";
        }
    }

    /**
     * The split-brain watch (guide, edge case 1): after a cutover, ask these resolvers (the carriers', or the ones
     * the carriers use) for the record until each answers the new target or the timeout passes. No resolvers: off.
     */
    public record PropagationSettings(List<InetSocketAddress> resolvers, long timeoutMs, long pollMs) {
        public boolean enabled() {
            return !resolvers.isEmpty();
        }
    }

    /**
     * Slow clients on the HTTP servers (business and management).
     *
     * @param idleTimeoutMs   a connection on which no byte moves either way for this long is closed
     * @param headerTimeoutMs a connection must send a complete request head within this long of opening or of its
     *                        previous answer, else it is closed
     * @param bodyTimeoutMs   a request body must be in within this long of its head, else 408
     */
    public record HttpSettings(int idleTimeoutMs, long headerTimeoutMs, long bodyTimeoutMs) { }

    public record StoreSettings(StoreKind kind, Path dataDir, String dynamoDbRegion, URI dynamoDbEndpoint,
                                String tablePrefix, int retentionDays, int dynamoDbWriteConcurrency,
                                int sqliteBusyTimeoutMs) { }

    /**
     * Capacity-based routing on the secondary (the guide's edge case 3).
     *
     * @param utilization how a skill's utilization is computed from NICE's skills/activity figures
     * @param pollMs      how often skills/activity is read
     */
    public record CapacitySettings(double threshold, String callbackQueueId, Utilization utilization, long pollMs) { }

    /** NICE reports no utilization field: it is computed, and how is configuration. */
    public enum Utilization {
        /** (agentsWorking + agentsACW) / agentsLoggedIn: how busy the logged-in agents are. */
        OCCUPANCY,
        /** (agentsWorking + agentsACW + queueCount) / agentsLoggedIn: also counts the contacts already waiting. */
        QUEUE_PRESSURE
    }

    /**
     * How the runbook runs: attempts per step with bounded exponential backoff, the lockout after a run, automatic
     * failback, and how long the DNS step waits for Route 53's INSYNC.
     */
    public record RunbookSettings(int stepAttempts, long backoffInitialMs, long backoffMaxMs, long lockoutMs,
                                  boolean failbackAuto, long failbackStableMs, long dnsInsyncTimeoutMs,
                                  long dnsInsyncPollMs, long vendorTimeoutMs, long forceMinIntervalMs, long leaseMs) { }

    /** Where the run summary is published; topicArn null = no notification. */
    public record NotifySettings(String snsTopicArn, String snsRegion, URI snsEndpoint) { }

    /**
     * The carrier's failover trunk (Twilio Elastic SIP Trunking, docs/vendor-apis.md §7); null when
     * {@code carrier.twilio.trunk-sid} is empty.
     *
     * @param username    an API Key SID (SK…, recommended) or the Account SID (AC…)
     * @param secret      the API key's secret or the Auth Token (from the environment)
     * @param sipUrls     each platform's origination SIP URL, as the trunk should hold it
     * @param checkMs     how often the trunk is read and compared with its shape
     * @param swap        the runbook's carrier step swaps the priorities at failover and restores them at failback
     */
    public record CarrierSettings(URI baseUrl, String username, String secret, String trunkSid, Map<Platform, String> sipUrls,
                                  long checkMs, boolean swap) {
        @Override
        public String toString() {
            return "CarrierSettings[baseUrl=" + baseUrl + ", username=" + username + ", trunkSid=" + trunkSid + ", sipUrls="
                    + sipUrls + ", checkMs=" + checkMs + ", swap=" + swap + "]";
        }
    }

    /**
     * Customer-context ingest.
     *
     * @param defaultRegion        ISO 3166 region for numbers written without a country code (libphonenumber)
     * @param snsAllowedTopicArns  SNS topics whose subscription is confirmed and whose notifications are accepted
     * @param sqsQueueUrl          SQS queue consumed when set (null: the consumer is off)
     * @param sqsDlqUrl            the dead-letter queue the queue's RedrivePolicy should name (SQS moves the messages)
     * @param maxFutureSkewMs      how far past now an event may be dated before it is refused
     */
    public record EventSettings(String defaultRegion, List<String> snsAllowedTopicArns, URI sqsQueueUrl, URI sqsDlqUrl,
                                int sqsMaxReceives, String sqsRegion, URI sqsEndpoint, long maxFutureSkewMs) {
        public boolean sqsEnabled() {
            return sqsQueueUrl != null;
        }
    }

    /** An SNS topic ARN in any partition, FIFO topics included. */
    private static final java.util.regex.Pattern ROUTING_CONTROL_ARN = java.util.regex.Pattern.compile(
            "arn:aws:route53-recovery-control::\\d{12}:controlpanel/[A-Za-z0-9]+/routingcontrol/[A-Za-z0-9]+");
    private static final java.util.regex.Pattern SAFETY_RULE_ARN = java.util.regex.Pattern.compile(
            "arn:aws:route53-recovery-control::\\d{12}:controlpanel/[A-Za-z0-9]+/safetyrule/[A-Za-z0-9]+");
    private static final java.util.regex.Pattern AWS_REGION = java.util.regex.Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    /** The host DescribeCluster gives an endpoint: {@code <id>.route53-recovery-cluster.<region>.amazonaws.com}. */
    private static final java.util.regex.Pattern ARC_CLUSTER_HOST =
            java.util.regex.Pattern.compile("[A-Za-z0-9-]+\\.route53-recovery-cluster\\.([a-z0-9-]+)\\.amazonaws\\.com");
    private static final String ARC_ENDPOINT_EXAMPLE = "https://abcd1234.route53-recovery-cluster.us-east-1.amazonaws.com/v1@us-east-1";
    private static final String ROUTING_CONTROL_EXAMPLE =
            "arn:aws:route53-recovery-control::123456789012:controlpanel/0123456789abcdef0123456789abcdef/routingcontrol/abcdef0123456789";
    private static final java.util.regex.Pattern SNS_TOPIC_ARN =
            java.util.regex.Pattern.compile("arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?");

    /**
     * Agent presence and queue sync (issue 6).
     *
     * @param unknownPresenceReason NICE unavailable code for a Genesys presence presence.yaml does not list
     * @param genesysRatePerMinute  requests a minute the sync may send to Genesys (its per-client limit)
     * @param niceRatePerMinute     requests a minute the sync may send to NICE
     * @param concurrency           agents updated at once
     * @param maxRetries            retries of one call after a 429, 502/503/504 or no answer
     * @param niceApiPath           the NICE API's path under base-url, with its version
     * @param loginWatchMs          how long after the agents step the mapped state of LoggedOut agents waits for their login
     * @param loginPollMs           how often NICE's agent states are read meanwhile
     */
    public record AgentSettings(String unknownPresenceReason, int genesysRatePerMinute, int niceRatePerMinute,
                                int concurrency, int maxRetries, String niceApiPath, long loginWatchMs, long loginPollMs) { }

    public PlatformSettings platform(Platform p) {
        return platforms.get(p);
    }

    /**
     * Reads and checks every key.
     *
     * @param lookup resolves a full key (e.g. "failover.dns.ttl") to its value, or null when absent
     * @throws InvalidConfigurationException on the first bad value
     */
    public static FailoverConfig load(Function<String, String> lookup) {
        ConfigReader r = new ConfigReader(key -> lookup.apply(key));
        List<String> warnings = new ArrayList<>();

        Platform primary = Platform.parse(PREFIX + "primary", r.text(PREFIX + "primary"));
        Platform secondary = Platform.parse(PREFIX + "secondary", r.text(PREFIX + "secondary"));
        if (primary == secondary) {
            throw new InvalidConfigurationException(PREFIX + "secondary",
                    "is the same platform as failover.primary (" + primary + "); write the other one, e.g. failover.secondary="
                            + (primary == Platform.GENESYS ? "nice" : "genesys"));
        }

        HealthSettings health = new HealthSettings(
                r.positiveLong(PREFIX + "health.interval-ms"),
                r.positiveLong(PREFIX + "health.sip-interval-ms"),
                r.positiveLong(PREFIX + "health.timeout-ms"),
                r.positiveLong(PREFIX + "health.latency-threshold-ms"),
                r.positiveInt(PREFIX + "health.down-threshold"),
                r.positiveInt(PREFIX + "health.up-threshold"),
                r.positiveLong(PREFIX + "health.confirm-interval-ms"),
                sipAliveCodes(r, PREFIX + "health.sip-alive-codes"),
                r.positiveInt(PREFIX + "health.quorum"),
                r.positiveLong(PREFIX + "health.quorum-window-ms"),
                java.util.Objects.requireNonNullElseGet(r.optional(PREFIX + "health.instance-id"), FailoverConfig::defaultInstanceId));
        if (health.latencyThresholdMs() >= health.timeoutMs()) {
            throw new InvalidConfigurationException(PREFIX + "health.latency-threshold-ms",
                    "(" + health.latencyThresholdMs() + ") must be below failover.health.timeout-ms (" + health.timeoutMs()
                            + "), or nothing could ever be Degraded; write e.g. 150");
        }

        Map<Platform, PlatformSettings> platforms = new EnumMap<>(Platform.class);
        for (Platform p : Platform.values()) {
            platforms.put(p, readPlatform(r, p));
        }

        DnsSettings dns = readDns(r, warnings);
        StoreSettings store = readStore(r);

        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        for (String role : ROLES) {
            String token = r.optional(PREFIX + "security.token." + role);
            if (token == null) {
                warnings.add(PREFIX + "security.token." + role + " is empty: every request that needs role " + role + " is refused (401)");
            } else {
                tokens.put(role, token);
            }
        }

        Path mappingsDir = Path.of(r.text(PREFIX + "mappings.dir"));
        CapacitySettings capacity = new CapacitySettings(
                r.fraction(PREFIX + "capacity.threshold"),
                r.optional(PREFIX + "capacity.callback-queue-id"),
                r.oneOf(PREFIX + "capacity.utilization", Utilization.class),
                r.positiveLong(PREFIX + "capacity.poll-ms"));

        RunbookSettings runbook = readRunbook(r);
        NotifySettings notify = readNotify(r);
        EventSettings events = readEvents(r);
        AgentSettings agents = readAgents(r);
        HttpSettings http = new HttpSettings(
                r.positiveInt(PREFIX + "http.idle-timeout-ms"),
                r.positiveLong(PREFIX + "http.header-timeout-ms"),
                r.positiveLong(PREFIX + "http.body-timeout-ms"));

        CarrierSettings carrier = readCarrier(r, primary, secondary);

        return new FailoverConfig(primary, secondary, health, Collections.unmodifiableMap(platforms), dns, store,
                Collections.unmodifiableMap(tokens), mappingsDir, capacity, runbook, notify, events, agents, http, carrier,
                List.copyOf(warnings));
    }

    private static java.util.Set<Integer> sipAliveCodes(ConfigReader r, String key) {
        java.util.Set<Integer> codes = new java.util.TreeSet<>();
        for (String c : r.listOrDefault(key)) {
            int code;
            try {
                code = Integer.parseInt(c);
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(key, "'" + c + "' is not a SIP status code; write e.g. " + key + "=200");
            }
            if (code < 200 || code > 699) {
                throw new InvalidConfigurationException(key, code + " is not a final SIP response (200-699); write e.g. "
                        + key + "=200 (a locally generated 408 is never alive)");
            }
            codes.add(code);
        }
        return java.util.Collections.unmodifiableSet(codes);
    }

    private static String defaultInstanceId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "");
        if (host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "instance";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    private static PlatformSettings readPlatform(ConfigReader r, Platform p) {
        String k = PREFIX + "platform." + p.id() + ".";
        URI apiHealthUrl = r.httpUrl(k + "api-health-url");
        if (apiHealthUrl != null) {
            rejectLoginHost(k + "api-health-url", apiHealthUrl, p);
        }
        String sipUri = r.optional(k + "sip-uri");
        if (sipUri != null) {
            try {
                SipTarget.parse(sipUri);
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(k + "sip-uri", e.getMessage()
                        + "; write e.g. sip:" + p.id() + "-trunk.example.com:5060;transport=udp");
            }
        }
        return new PlatformSettings(p,
                r.httpUrl(k + "base-url"),
                r.httpUrl(k + "token-url"),
                r.optional(k + "client-id"),
                r.optional(k + "client-secret"),
                r.optional(k + "access-key-id"),
                r.optional(k + "access-key-secret"),
                apiHealthUrl,
                sipUri,
                r.list(k + "trunk-base-settings-ids"));
    }

    /**
     * The guide's first trap: the login/OAuth host stays up when a region is degraded, so a health check
     * against it never sees the outage. Genesys also has no /api/v2/health.
     */
    private static void rejectLoginHost(String key, URI url, Platform p) {
        String host = url.getHost().toLowerCase(Locale.ROOT);
        String path = url.getPath() == null ? "" : url.getPath().toLowerCase(Locale.ROOT);
        String fix = p == Platform.GENESYS
                ? "probe an authenticated API in the platform's region, e.g. https://api.mypurecloud.com/api/v2/organizations/me"
                : "probe an authenticated API in the platform's region, e.g. https://api-c32.nice-incontact.com/incontactapi/services/v31.0/agents?top=1";
        if (host.startsWith("login.") || host.contains(".login.") || path.contains("/oauth") || path.endsWith("/token")) {
            throw new InvalidConfigurationException(key, "'" + url + "' is a login/OAuth endpoint, which \"often remains available even"
                    + " when regional data centers are degraded\" (the guide's trap), so it would never see the outage; " + fix);
        }
        if (p == Platform.GENESYS && path.endsWith("/api/v2/health")) {
            throw new InvalidConfigurationException(key, "Genesys Cloud has no /api/v2/health; " + fix);
        }
    }

    private static DnsSettings readDns(ConfigReader r, List<String> warnings) {
        String k = PREFIX + "dns.";
        DnsProvider provider = r.oneOf(k + "provider", DnsProvider.class);
        int ttl = r.positiveInt(k + "ttl");
        if (ttl > 300) {
            throw new InvalidConfigurationException(k + "ttl", ttl + " s is too long: carriers keep sending calls to the dead"
                    + " platform until their cache expires (the guide's TTL trap); write 60");
        }
        if (ttl > 60) {
            warnings.add(k + "ttl=" + ttl + " is above 60 s: callers may reach the failed platform for up to " + ttl + " s after the cutover");
        }
        Map<Platform, String> targets = new EnumMap<>(Platform.class);
        for (Platform p : Platform.values()) {
            String host = r.hostName(k + "target." + p.id(), p.id() + "-trunk.example.com");
            if (host != null) {
                targets.put(p, host);
            }
        }
        String recordName = r.hostName(k + "record-name", "inbound.voiceservices.example.com");
        String zone = r.optional(k + "route53.hosted-zone-id");
        URI endpoint = r.httpUrl(k + "route53.endpoint");
        if (provider != DnsProvider.NONE) {
            if (recordName == null) {
                r.required(k + "record-name", "inbound.voiceservices.example.com");
            }
            for (Platform p : Platform.values()) {
                if (!targets.containsKey(p)) {
                    r.required(k + "target." + p.id(), p.id() + "-trunk.example.com");
                }
            }
        }
        if (provider == DnsProvider.ROUTE53 && zone == null) {
            r.required(k + "route53.hosted-zone-id", "Z1234567890ABC");
        }
        return new DnsSettings(provider, recordName, ttl, Collections.unmodifiableMap(targets), zone, endpoint,
                readPropagation(r, k + "propagation."), provider == DnsProvider.RFC2136 ? readRfc2136(r, k + "rfc2136.", recordName) : null,
                provider == DnsProvider.ROUTE53_ARC ? readRoute53Arc(r, k + "route53-arc.", warnings) : null);
    }

    private static Route53ArcSettings readRoute53Arc(ConfigReader r, String k, List<String> warnings) {
        String key = k + "cluster-endpoints";
        List<String> entries = r.list(key);
        if (entries.isEmpty()) {
            throw new InvalidConfigurationException(key, "is required with dns.provider=route53-arc; write the cluster's endpoints"
                    + " (aws route53-recovery-control-config describe-cluster --region us-west-2), each URL@region, comma-separated,"
                    + " e.g. " + key + "=" + ARC_ENDPOINT_EXAMPLE);
        }
        List<ClusterEndpoint> endpoints = new ArrayList<>();
        for (String entry : entries) {
            ClusterEndpoint e = clusterEndpoint(key, entry);
            if (endpoints.stream().anyMatch(other -> other.url().equals(e.url()))) {
                throw new InvalidConfigurationException(key, "lists " + e.url() + " twice; write each of the cluster's endpoints once");
            }
            endpoints.add(e);
        }
        if (endpoints.size() < 5 && endpoints.stream().noneMatch(e -> isLoopback(e.url().getHost()))) {
            warnings.add(key + " lists " + endpoints.size() + " endpoint(s); an ARC cluster has five: list them all, so that a"
                    + " regional outage leaves others to try");
        }
        Map<Platform, String> arns = new EnumMap<>(Platform.class);
        for (Platform p : Platform.values()) {
            String arnKey = k + "routing-control-arn." + p.id();
            String arn = r.required(arnKey, ROUTING_CONTROL_EXAMPLE);
            if (!ROUTING_CONTROL_ARN.matcher(arn).matches()) {
                throw new InvalidConfigurationException(arnKey, "'" + arn + "' is not a routing control ARN; write the one"
                        + " list-routing-controls shows, e.g. " + arnKey + "=" + ROUTING_CONTROL_EXAMPLE);
            }
            if (arns.containsValue(arn)) {
                throw new InvalidConfigurationException(arnKey, "is the same routing control as the other platform's; each"
                        + " platform needs its own (one On, the other Off)");
            }
            arns.put(p, arn);
        }
        List<String> rules = r.list(k + "safety-rules-to-override");
        for (String rule : rules) {
            if (!SAFETY_RULE_ARN.matcher(rule).matches()) {
                throw new InvalidConfigurationException(k + "safety-rules-to-override", "'" + rule + "' is not a safety rule ARN;"
                        + " write e.g. arn:aws:route53-recovery-control::123456789012:controlpanel/<id>/safetyrule/<id>, or leave it empty");
            }
        }
        long callTimeout = r.positiveLong(k + "call-timeout-ms");
        if (callTimeout > 30_000) {
            throw new InvalidConfigurationException(k + "call-timeout-ms", callTimeout + " ms per endpoint would hold a failover"
                    + " for minutes across the cluster's five endpoints; write e.g. " + k + "call-timeout-ms=2000");
        }
        return new Route53ArcSettings(List.copyOf(endpoints), Collections.unmodifiableMap(arns), List.copyOf(rules), callTimeout);
    }

    /** "https://host[:port]/v1@region": an absolute https URL (http on loopback only, for tests) and its signing region. */
    private static ClusterEndpoint clusterEndpoint(String key, String entry) {
        int at = entry.lastIndexOf('@');
        if (at <= 0 || at == entry.length() - 1) {
            throw new InvalidConfigurationException(key, "'" + entry + "' has no region; write each endpoint as URL@region, e.g. "
                    + ARC_ENDPOINT_EXAMPLE);
        }
        String urlText = entry.substring(0, at).trim();
        String region = entry.substring(at + 1).trim();
        URI url;
        try {
            url = new URI(urlText);
        } catch (java.net.URISyntaxException e) {
            throw new InvalidConfigurationException(key, "'" + urlText + "' is not a valid URL (" + e.getReason() + "); write e.g. "
                    + ARC_ENDPOINT_EXAMPLE);
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null
                || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new InvalidConfigurationException(key, "'" + urlText + "' is not an absolute https URL; write the Endpoint"
                    + " describe-cluster gives, e.g. " + ARC_ENDPOINT_EXAMPLE);
        }
        if (scheme.equals("http") && !isLoopback(url.getHost())) {
            throw new InvalidConfigurationException(key, "'" + urlText + "' is plain http; ARC's endpoints are https (http only"
                    + " for 127.0.0.1 or localhost, in tests)");
        }
        if (!AWS_REGION.matcher(region).matches()) {
            throw new InvalidConfigurationException(key, "'" + region + "' (after " + urlText + ") is not an AWS region; write"
                    + " the Region describe-cluster gives with that endpoint, e.g. us-east-1");
        }
        java.util.regex.Matcher host = ARC_CLUSTER_HOST.matcher(url.getHost().toLowerCase(Locale.ROOT));
        if (host.matches() && !host.group(1).equals(region)) {
            throw new InvalidConfigurationException(key, "'" + entry + "' pairs an endpoint in " + host.group(1) + " with region "
                    + region + "; each call is signed for its endpoint's region: write " + urlText + "@" + host.group(1));
        }
        return new ClusterEndpoint(url, region);
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equalsIgnoreCase("localhost");
    }

    private static Rfc2136Settings readRfc2136(ConfigReader r, String k, String recordName) {
        List<InetSocketAddress> servers = r.ipAddresses(k + "server", 53, "primary server address", "192.0.2.53");
        if (servers.size() != 1) {
            throw new InvalidConfigurationException(k + "server", servers.isEmpty() ? "is required with dns.provider=rfc2136; write"
                    + " the zone's primary, e.g. " + k + "server=192.0.2.53" : "names " + servers.size() + " servers; an UPDATE goes"
                    + " to the zone's primary only (it passes it on to its secondaries): write one, e.g. " + k + "server=192.0.2.53");
        }
        String zone = r.hostName(k + "zone", "voiceservices.example.com");
        if (zone == null) {
            zone = recordName.substring(recordName.indexOf('.') + 1);
        }
        String rel = recordName.toLowerCase(Locale.ROOT);
        if (!rel.endsWith("." + zone.toLowerCase(Locale.ROOT))) {
            throw new InvalidConfigurationException(k + "zone", "'" + zone + "' does not hold failover.dns.record-name (" + recordName
                    + "); write the zone the record lives in, e.g. " + k + "zone=" + recordName.substring(recordName.indexOf('.') + 1));
        }
        String keyName = r.hostName(k + "tsig-key-name", "ccaas-failover");
        if (keyName == null) {
            r.required(k + "tsig-key-name", "ccaas-failover");
        }
        String algorithm = r.text(k + "tsig-algorithm").toLowerCase(Locale.ROOT);
        if (!TSIG_ALGORITHMS.contains(algorithm)) {
            throw new InvalidConfigurationException(k + "tsig-algorithm", "unknown value '" + algorithm + "'; write one of "
                    + String.join(", ", TSIG_ALGORITHMS));
        }
        String secret = r.required(k + "tsig-secret", "{{env:FAILOVER_DNS_TSIG_SECRET:}} (the key's base64 secret, from the environment)");
        try {
            if (java.util.Base64.getDecoder().decode(secret).length < 16) {
                throw new InvalidConfigurationException(k + "tsig-secret", "is shorter than 16 bytes; generate one with"
                        + " tsig-keygen -a " + algorithm + " <name> and set FAILOVER_DNS_TSIG_SECRET to its secret");
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(k + "tsig-secret", "is not base64 (" + e.getMessage() + "); set it to the"
                    + " secret of the key's tsig-keygen output");
        }
        return new Rfc2136Settings(servers.get(0), zone, keyName, algorithm, secret);
    }

    private static PropagationSettings readPropagation(ConfigReader r, String k) {
        List<InetSocketAddress> resolvers = r.ipAddresses(k + "resolvers", 53, "resolver address",
                "198.51.100.53,198.51.100.54:5353");
        long timeoutMs = r.positiveLong(k + "timeout-ms");
        long pollMs = r.positiveLong(k + "poll-ms");
        if (pollMs > timeoutMs) {
            throw new InvalidConfigurationException(k + "poll-ms", pollMs + " is longer than " + k + "timeout-ms (" + timeoutMs
                    + "); write e.g. " + k + "poll-ms=15000");
        }
        return new PropagationSettings(resolvers, timeoutMs, pollMs);
    }

    private static RunbookSettings readRunbook(ConfigReader r) {
        String k = PREFIX + "runbook.";
        int attempts = r.positiveInt(k + "step-attempts");
        if (attempts > 20) {
            throw new InvalidConfigurationException(k + "step-attempts", attempts + " attempts would hold a failing run for"
                    + " too long before operators see it failed; write e.g. " + k + "step-attempts=4");
        }
        long initial = r.positiveLong(k + "backoff-initial-ms");
        long max = r.positiveLong(k + "backoff-max-ms");
        if (max < initial) {
            throw new InvalidConfigurationException(k + "backoff-max-ms", "(" + max + ") is below failover.runbook.backoff-initial-ms ("
                    + initial + "); write a value of at least " + initial);
        }
        long lockout = r.nonNegativeLong(k + "lockout-ms");
        boolean auto = r.bool(PREFIX + "failback.auto");
        long stable = r.positiveLong(PREFIX + "failback.stable-ms");
        long insync = r.positiveLong(PREFIX + "dns.route53.insync-timeout-ms");
        long poll = r.positiveLong(PREFIX + "dns.route53.insync-poll-ms");
        if (poll > insync) {
            throw new InvalidConfigurationException(PREFIX + "dns.route53.insync-poll-ms", "(" + poll
                    + ") is longer than failover.dns.route53.insync-timeout-ms (" + insync + "); write e.g. 2000");
        }
        long vendorTimeout = r.positiveLong(k + "vendor-timeout-ms");
        long forceInterval = r.nonNegativeLong(k + "force-min-interval-ms");
        long lease = r.positiveLong(k + "lease-ms");
        if (lease < 300 || lease > 600000) {
            throw new InvalidConfigurationException(k + "lease-ms", lease + " is outside 300 to 600000 (the owner renews every third"
                    + " of it; a dead owner's run waits that long for another instance); write e.g. " + k + "lease-ms=15000");
        }
        return new RunbookSettings(attempts, initial, max, lockout, auto, stable, insync, poll, vendorTimeout, forceInterval, lease);
    }

    private static NotifySettings readNotify(ConfigReader r) {
        String k = PREFIX + "notify.sns.";
        String arn = r.optional(k + "topic-arn");
        if (arn != null && !SNS_TOPIC_ARN.matcher(arn).matches()) {
            throw new InvalidConfigurationException(k + "topic-arn", "'" + arn + "' is not an SNS topic ARN; write e.g. "
                    + k + "topic-arn=arn:aws:sns:us-east-1:123456789012:ccaas-failover-runs");
        }
        return new NotifySettings(arn, r.text(k + "region"), r.httpUrl(k + "endpoint"));
    }

    private static final java.util.regex.Pattern TWILIO_TRUNK_SID = java.util.regex.Pattern.compile("TK[0-9a-f]{32}");
    private static final java.util.regex.Pattern TWILIO_USERNAME = java.util.regex.Pattern.compile("(AC|SK)[0-9a-f]{32}");

    private static CarrierSettings readCarrier(ConfigReader r, Platform primary, Platform secondary) {
        String k = PREFIX + "carrier.twilio.";
        String trunkSid = r.optional(k + "trunk-sid");
        if (trunkSid == null) {
            return null;
        }
        if (!TWILIO_TRUNK_SID.matcher(trunkSid).matches()) {
            throw new InvalidConfigurationException(k + "trunk-sid", "'" + trunkSid + "' is not a Twilio trunk SID (TK and 32"
                    + " hex digits); copy it from the Console's Elastic SIP Trunking page, or leave it empty to turn the check off");
        }
        String username = r.required(k + "username", "SK0123456789abcdef0123456789abcdef (an API key SID) or the Account SID");
        if (!TWILIO_USERNAME.matcher(username).matches()) {
            throw new InvalidConfigurationException(k + "username", "'" + username + "' is neither an API Key SID (SK…) nor an"
                    + " Account SID (AC…), 34 characters; write e.g. " + k + "username=SK0123456789abcdef0123456789abcdef");
        }
        String secret = r.required(k + "secret", "{{env:TWILIO_API_SECRET:}} (the API key's secret or the Auth Token)");
        Map<Platform, String> sipUrls = new EnumMap<>(Platform.class);
        for (Platform p : List.of(primary, secondary)) {
            String url = r.required(k + "sip-url." + p.id(), "sip:" + p.id() + "-trunk.example.com:5060;transport=tcp");
            if (!url.regionMatches(true, 0, "sip:", 0, 4) || url.length() < 5) {
                throw new InvalidConfigurationException(k + "sip-url." + p.id(), "'" + url + "' is not a sip: URL (Twilio takes"
                        + " sip: only, not sips:); write e.g. sip:" + p.id() + "-trunk.example.com:5060;transport=tcp");
            }
            sipUrls.put(p, url);
        }
        if (sipUrls.get(primary).equalsIgnoreCase(sipUrls.get(secondary))) {
            throw new InvalidConfigurationException(k + "sip-url." + secondary.id(), "is the primary's URL too; each platform"
                    + " needs its own origination URL");
        }
        URI base = r.httpUrl(k + "base-url");
        if (base == null) {
            r.required(k + "base-url", "https://trunking.twilio.com/v1");
        }
        return new CarrierSettings(base, username, secret, trunkSid, Collections.unmodifiableMap(sipUrls),
                r.positiveLong(k + "check-ms"), r.bool(k + "swap"));
    }

    private static AgentSettings readAgents(ConfigReader r) {
        String k = PREFIX + "agents.";
        String reason = r.text(k + "unknown-presence-reason");
        int genesysRate = r.positiveInt(k + "genesys.rate-per-minute");
        int niceRate = r.positiveInt(k + "nice.rate-per-minute");
        for (String key : List.of(k + "genesys.rate-per-minute", k + "nice.rate-per-minute")) {
            int v = key.contains("genesys") ? genesysRate : niceRate;
            if (v < 3) {
                throw new InvalidConfigurationException(key, v + " is too low: one request a minute is kept for the OAuth token"
                        + " and the rest must allow a burst; write e.g. " + key + "=" + r.documentedDefault(key));
            }
        }
        int concurrency = r.positiveInt(k + "concurrency");
        if (concurrency > 64) {
            throw new InvalidConfigurationException(k + "concurrency", concurrency + " is too many threads for one vendor's"
                    + " rate limit; write e.g. " + k + "concurrency=8");
        }
        String retriesText = r.text(k + "max-retries");
        int retries;
        try {
            retries = Integer.parseInt(retriesText);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(k + "max-retries", "'" + retriesText + "' is not a whole number; write e.g. "
                    + k + "max-retries=" + r.documentedDefault(k + "max-retries"));
        }
        if (retries < 0 || retries > 20) {
            throw new InvalidConfigurationException(k + "max-retries", "must be between 0 and 20, got " + retries
                    + "; write e.g. " + k + "max-retries=" + r.documentedDefault(k + "max-retries"));
        }
        String apiPath = r.text(k + "nice.api-path");
        if (!apiPath.startsWith("/") || apiPath.contains("?") || apiPath.contains("://")) {
            throw new InvalidConfigurationException(k + "nice.api-path", "'" + apiPath + "' is not a path; write e.g. "
                    + k + "nice.api-path=/incontactapi/services/v31.0");
        }
        long watchMs = r.positiveLong(k + "login-watch-ms");
        long pollMs = r.positiveLong(k + "login-poll-ms");
        if (pollMs >= watchMs) {
            throw new InvalidConfigurationException(k + "login-poll-ms", "(" + pollMs + ") must be below " + k
                    + "login-watch-ms (" + watchMs + "), or the watch would never read NICE; write e.g. " + k + "login-poll-ms=5000");
        }
        return new AgentSettings(reason, genesysRate, niceRate, concurrency, retries,
                apiPath.endsWith("/") ? apiPath.substring(0, apiPath.length() - 1) : apiPath, watchMs, pollMs);
    }

    private static StoreSettings readStore(ConfigReader r) {
        String k = PREFIX + "store.";
        StoreKind kind = r.oneOf(k + "kind", StoreKind.class);
        return new StoreSettings(kind,
                Path.of(r.text(k + "data-dir")),
                r.text(k + "dynamodb.region"),
                r.httpUrl(k + "dynamodb.endpoint"),
                r.text(k + "table-prefix"),
                r.positiveInt(k + "retention-days"),
                writeConcurrency(r, k + "dynamodb.write-concurrency"),
                busyTimeout(r, k + "sqlite.busy-timeout-ms"));
    }

    private static int busyTimeout(ConfigReader r, String key) {
        int ms = r.positiveInt(key);
        if (ms > 30_000) {
            throw new InvalidConfigurationException(key, "must be between 1 and 30000 ms, got " + ms
                    + " (every write may wait this long, twice); write e.g. " + key + "=2000");
        }
        return ms;
    }

    private static int writeConcurrency(ConfigReader r, String key) {
        int n = r.positiveInt(key);
        if (n > 64) {
            throw new InvalidConfigurationException(key, "must be between 1 and 64, got " + n + "; write e.g. " + key + "=16");
        }
        return n;
    }

    private static EventSettings readEvents(ConfigReader r) {
        String k = PREFIX + "events.";
        String region = r.text(k + "default-region").toUpperCase(Locale.ROOT);
        if (!com.google.i18n.phonenumbers.PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
            throw new InvalidConfigurationException(k + "default-region", "'" + region
                    + "' is not a region libphonenumber knows; write an ISO 3166 code, e.g. " + k + "default-region=US");
        }
        List<String> arns = r.list(k + "sns.allowed-topic-arns");
        for (String arn : arns) {
            if (!SNS_TOPIC_ARN.matcher(arn).matches()) {
                throw new InvalidConfigurationException(k + "sns.allowed-topic-arns", "'" + arn
                        + "' is not an SNS topic ARN; write e.g. arn:aws:sns:us-east-1:123456789012:ccaas-events");
            }
        }
        URI queue = r.httpUrl(k + "sqs.queue-url");
        URI dlq = r.httpUrl(k + "sqs.dlq-url");
        if (queue != null && dlq == null) {
            r.required(k + "sqs.dlq-url", "https://sqs.us-east-1.amazonaws.com/123456789012/ccaas-events-dlq");
        }
        if (queue != null && queue.equals(dlq)) {
            throw new InvalidConfigurationException(k + "sqs.dlq-url", "is the queue itself; write a separate dead-letter queue URL");
        }
        long skew = r.nonNegativeLong(k + "max-future-skew-ms");
        if (skew > 86_400_000L) {
            throw new InvalidConfigurationException(k + "max-future-skew-ms", "(" + skew + ") is more than a day: an event"
                    + " dated that far ahead would pass as the caller's newest; write e.g. " + k + "max-future-skew-ms=300000");
        }
        return new EventSettings(region, arns, queue, dlq, r.positiveInt(k + "sqs.max-receives"),
                r.text(k + "sqs.region"), r.httpUrl(k + "sqs.endpoint"), skew);
    }

    @Override
    public String toString() {
        // Never print the role tokens or platform secrets.
        return "FailoverConfig[primary=" + primary + ", secondary=" + secondary + ", health=" + health + ", dns=" + dns
                + ", store=" + store + ", roles configured=" + roleTokens.keySet() + "]";
    }
}
