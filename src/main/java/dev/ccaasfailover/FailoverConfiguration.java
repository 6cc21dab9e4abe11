package dev.ccaasfailover;

import dev.ccaasfailover.agents.AgentMappings;
import dev.ccaasfailover.agents.AgentSync;
import dev.ccaasfailover.agents.GenesysAgentsClient;
import dev.ccaasfailover.agents.NiceAgentsClient;
import dev.ccaasfailover.agents.NiceLoginWatch;
import dev.ccaasfailover.agents.RequestWindow;
import dev.ccaasfailover.agents.VendorHttp;
import dev.ccaasfailover.routing.CapacityRouter;
import dev.ccaasfailover.routing.NiceSkillActivityClient;
import dev.ccaasfailover.carrier.CarrierFailoverTrunk;
import dev.ccaasfailover.carrier.CarrierShape;
import dev.ccaasfailover.carrier.TwilioTrunk;
import dev.ccaasfailover.cluster.ClusterRole;
import dev.ccaasfailover.cluster.ClusterServices;
import dev.ccaasfailover.config.ClusterSettings;
import dev.ccaasfailover.config.FailoverConfig;
import org.apache.camel.cluster.CamelClusterService;
import dev.ccaasfailover.context.CustomerContext;
import dev.ccaasfailover.context.EventIngest;
import dev.ccaasfailover.context.EventMappings;
import dev.ccaasfailover.context.EventTranslator;
import dev.ccaasfailover.context.PhoneNormalizer;
import dev.ccaasfailover.context.SnsCertificates;
import dev.ccaasfailover.context.SnsEndpoint;
import dev.ccaasfailover.context.SnsMessageVerifier;
import dev.ccaasfailover.context.SqsEventConsumer;
import dev.ccaasfailover.context.SqsRedrivePolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.config.PlatformSettings;
import dev.ccaasfailover.dns.DnsPropagationWatch;
import dev.ccaasfailover.dns.DnsCutover;
import dev.ccaasfailover.health.ApiLivenessProber;
import dev.ccaasfailover.health.HealthBoard;
import dev.ccaasfailover.health.HealthMonitor;
import dev.ccaasfailover.health.Layer;
import dev.ccaasfailover.health.Observation;
import dev.ccaasfailover.health.QuorumGate;
import dev.ccaasfailover.health.SipOptionsProber;
import dev.ccaasfailover.health.SipTarget;
import dev.ccaasfailover.http.ApiErrors;
import dev.ccaasfailover.http.JsonBody;
import dev.ccaasfailover.http.JsonErrorPages;
import dev.ccaasfailover.http.PlatformHttpVertx;
import dev.ccaasfailover.http.RouteHeaders;
import io.vertx.core.Vertx;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.ExtendedStartupListener;
import dev.ccaasfailover.observe.GuardedJolokiaPlugin;
import dev.ccaasfailover.observe.JolokiaAccess;
import dev.ccaasfailover.observe.StoreReadinessCheck;
import dev.ccaasfailover.observe.VendorCallMetrics;
import org.apache.camel.component.platform.http.plugin.JolokiaPlatformHttpPlugin;
import dev.ccaasfailover.platform.VendorEndpoints;
import dev.ccaasfailover.platform.VersionedJsonFlag;
import dev.ccaasfailover.runbook.Backoff;
import dev.ccaasfailover.runbook.ControlPlane;
import dev.ccaasfailover.runbook.DryRun;
import dev.ccaasfailover.runbook.RunClaim;
import dev.ccaasfailover.runbook.RunMdc;
import dev.ccaasfailover.runbook.RunbookApi;
import dev.ccaasfailover.runbook.StepRunner;
import dev.ccaasfailover.runbook.RunJournal;
import dev.ccaasfailover.runbook.Runbook;
import dev.ccaasfailover.runbook.StatusReport;
import dev.ccaasfailover.runbook.StepChecks;
import dev.ccaasfailover.security.BearerTokenAuthorizer;
import dev.ccaasfailover.security.OAuthTokenSource;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Validates the configuration and binds the beans the YAML routes call. Anything wrong in the configuration stops
 * here, before a route or a server has started.
 * <p>Size: the product's wiring (which bean gets which collaborators) in one place; it holds no logic of its own.
 */
public class FailoverConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(FailoverConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        FailoverConfig config = FailoverConfig.load(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        config.warnings().forEach(w -> LOG.warn("Configuration: {}", w));
        describePlatforms(config);

        Clock clock = Clock.systemUTC();
        FailoverConfig.StoreSettings s = config.store();
        Store store = StoreFactory.open(s.kind().name().toLowerCase(Locale.ROOT), s.dataDir(), s.dynamoDbRegion(),
                s.dynamoDbEndpoint() == null ? null : s.dynamoDbEndpoint().toString(), s.tablePrefix(),
                s.dynamoDbWriteConcurrency(), s.sqliteBusyTimeoutMs(), clock);
        onStop(context, store::close);

        HealthBoard board = new HealthBoard(config, clock);
        Registry registry = context.getRegistry();
        registry.bind("clock", clock);
        registry.bind("failoverConfig", config);
        registry.bind("store", store);
        registry.bind("healthBoard", board);
        registry.bind("bearerAuth", new BearerTokenAuthorizer(config.roleTokens()));
        // Jolokia on the management port: the plugin registry takes this bean over camel-platform-http-jolokia's.
        registry.bind(JolokiaPlatformHttpPlugin.NAME, new GuardedJolokiaPlugin(JolokiaAccess.load(
                key -> context.getPropertiesComponent().resolveProperty(key).orElse(null), config.roleTokens().get("admin"))));
        registry.bind("apiErrors", new ApiErrors());
        registry.bind("jsonBody", new JsonBody());
        DnsPropagationWatch propagation = new DnsPropagationWatch(config.dns(), clock);
        registry.bind("dnsPropagation", propagation);
        // The login watch's picture is read through the registry: its bean is bound with the agent sync below.
        registry.bind("statusReport", new StatusReport(config, store, board, propagation::status, () -> {
            NiceLoginWatch watch = registry.lookupByNameAndType("niceLoginWatch", NiceLoginWatch.class);
            return watch == null ? null : watch.status();
        }));
        context.addStartupListener((ctx, alreadyStarted) ->
                propagation.bindMetrics(ctx.getRegistry().findSingleByType(MeterRegistry.class)));

        // One HTTP client and one OAuth token source per platform, shared by the health probe, the trunk switch and the
        // agent sync: one cached token per OAuth client, fetched again only when it runs out or is refused.
        Map<Platform, HttpClient> httpClients = new EnumMap<>(Platform.class);
        Map<Platform, OAuthTokenSource> tokens = new EnumMap<>(Platform.class);
        VendorCallMetrics vendorCalls = new VendorCallMetrics();
        context.addStartupListener((ctx, alreadyStarted) -> vendorCalls.bind(ctx.getRegistry().findSingleByType(MeterRegistry.class)));
        for (Platform p : Platform.values()) {
            HttpClient http = vendorCalls.meter(p.id(), () -> httpClient(config));
            httpClients.put(p, http);
            OAuthTokenSource t = tokenSource(config.platform(p), http, clock);
            if (t != null) {
                tokens.put(p, t);
            }
        }

        // Health checks: probes for every configured layer, hysteresis, the decisions for the runbook.
        HealthMonitor monitor = healthMonitor(config, board, store, clock, httpClients, tokens);
        registry.bind("healthMonitor", monitor);
        context.addStartupListener((ctx, alreadyStarted) ->
                monitor.bindMetrics(ctx.getRegistry().findSingleByType(MeterRegistry.class)));
        onStop(context, monitor::close);

        // Leader election: only the leader hands health decisions to the runbook and runs the NICE login watch and
        // capacity polling (the master: routes); every instance probes, records its observations and serves HTTP.
        bindCluster(context, config, store, clock, monitor);

        // The runbook: control plane and journal in the store, DNS through the AWS SDK, vendor calls behind beans
        // the platform-<vendor> routes call with the vendor's paths.
        RunJournal journal = new RunJournal(store);
        RunClaim claims = new RunClaim(config, new ControlPlane(store, config.primary()), journal, clock,
                config.health().instanceId(), config.runbook().leaseMs());
        registry.bind("runbook", new Runbook(config, claims, journal, board, clock));
        registry.bind("stepRunner", new StepRunner(claims, journal,
                new Backoff(config.runbook().backoffInitialMs(), config.runbook().backoffMaxMs()), config.runbook().stepAttempts(), clock));
        registry.bind("dryRun", new DryRun(config, claims));
        registry.bind("runbookApi", new RunbookApi(journal));
        // Log lines of a run carry its run id: Camel's MDC logging, plus the run's exchange property runId.
        context.getCamelContextExtension().addContextPlugin(UnitOfWorkFactory.class, new RunMdc());
        registry.bind("stepChecks", new StepChecks(config.notifications().snsTopicArn() != null));
        DnsCutover dns = DnsCutover.create(config);
        registry.bind("dnsCutover", dns);
        onStop(context, dns::close);
        PlatformSettings genesys = config.platform(Platform.GENESYS);
        registry.bind("genesysTrunks", new VersionedJsonFlag("genesys", genesys.baseUrl(), genesys.trunkBaseSettingsIds(),
                tokens.get(Platform.GENESYS), httpClients.get(Platform.GENESYS), Duration.ofMillis(config.runbook().vendorTimeoutMs())));
        SnsClient sns = snsClient(config.notifications());
        if (sns != null) {
            registry.bind("snsClient", sns);
            onStop(context, sns::close);
        }

        // The carrier's failover trunk: checked every carrier.twilio.check-ms (route carrier-check), applied on request.
        registry.bind("carrierTrunk", carrierTrunk(config, vendorCalls.meter("twilio", () -> httpClient(config)), clock));

        // Agents and queues carried across (the runbook's agents step): mappings checked now.
        bindAgentSyncAndRouting(context, registry, config, store, clock, httpClients, tokens);

        // Customer context: event ingest (REST, SNS, SQS) and the context API.
        bindContext(context, config, store, clock);

        HealthCheckRegistry.get(context).register(new StoreReadinessCheck(store));

        bindHttpLayer(context, config);
    }

    private static CarrierFailoverTrunk carrierTrunk(FailoverConfig config, HttpClient http, Clock clock) {
        FailoverConfig.CarrierSettings c = config.carrier();
        if (c == null) {
            return CarrierFailoverTrunk.off();
        }
        TwilioTrunk trunk = new TwilioTrunk(http, c.baseUrl().toString(), c.trunkSid(), c.username(), c.secret(),
                Duration.ofMillis(config.runbook().vendorTimeoutMs()));
        return new CarrierFailoverTrunk(trunk, new CarrierShape(c.sipUrls().get(config.primary()),
                c.sipUrls().get(config.secondary()), CarrierShape.Preferred.PRIMARY), clock, config.primary().id(), c.swap());
    }

    private static void bindCluster(CamelContext context, FailoverConfig config, Store store, Clock clock,
                                    HealthMonitor monitor) throws Exception {
        ClusterSettings cluster = ClusterSettings.load(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        String id = config.health().instanceId();
        CamelClusterService service = ClusterServices.create(cluster, config.store(), id);
        context.addService(service);
        context.getRegistry().bind("clusterService", service);
        context.getRegistry().bind("clusterRole", new ClusterRole(cluster, service, store, id, clock, monitor));
        context.getPropertiesComponent().addInitialProperty("failover.cluster.namespace", cluster.namespace());
        context.getPropertiesComponent().addInitialProperty("failover.cluster.renew-ms", String.valueOf(cluster.renewMs()));
        if (cluster.kind() == ClusterSettings.Kind.NONE) {
            LOG.info("Cluster: none (failover.cluster.kind): this instance {} always leads", id);
        } else {
            LOG.info("Cluster: {} election of {} as {} (lease {} ms, renewed every {} ms)",
                    cluster.kind().name().toLowerCase(Locale.ROOT), cluster.namespace(), id, cluster.leaseMs(), cluster.renewMs());
        }
        if (cluster.kind() == ClusterSettings.Kind.NONE && config.health().quorum() > 1) {
            LOG.warn("Cluster: failover.health.quorum={} with failover.cluster.kind=none: every instance hands its own "
                    + "decisions to the runbook (only the conditional claim keeps them apart)", config.health().quorum());
        }
    }

    /**
     * The HTTP layer under the routes: the Vert.x that platform-http's servers are created on (timeouts, JSON error
     * pages) and the header filter of every platform-http consumer (nothing from a request reaches a response header).
     */
    private static void bindHttpLayer(CamelContext context, FailoverConfig config) throws Exception {
        // documented (and defaulted) in application.properties, which the launcher always loads from the jar first
        long maxBody = Long.parseLong(context.getPropertiesComponent().resolveProperty("camel.server.maxBodySize").orElseThrow(
                () -> new IllegalStateException("camel.server.maxBodySize is not set: application.properties is missing from the jar")));
        Vertx vertx = PlatformHttpVertx.create(config.http(), maxBody);
        context.getRegistry().bind("vertx", vertx);
        // closed once every service has stopped: the HTTP servers close on its event loops
        context.addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext ctx) {
                vertx.close();
            }
        });
        context.getComponent("platform-http", PlatformHttpComponent.class).setHeaderFilterStrategy(new RouteHeaders());
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // the HTTP server is not up yet here
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                JsonErrorPages.installOnSubRouters(ctx, maxBody);
            }
        });
    }

    /** Customer context: ingest (REST, SNS, SQS) and the context API. */
    private static void bindContext(CamelContext context, FailoverConfig config, Store store, Clock clock) throws Exception {
        Registry registry = context.getRegistry();
        FailoverConfig.EventSettings events = config.events();
        int retention = config.store().retentionDays();
        EventMappings mappings = EventMappings.load(config.mappingsDir(), !siteConfigured(config));
        PhoneNormalizer phones = new PhoneNormalizer(events.defaultRegion());
        EventIngest ingest = new EventIngest(new EventTranslator(mappings, phones), store, clock, retention,
                events.maxFutureSkewMs());
        registry.bind("eventIngest", ingest);
        registry.bind("customerContext", new CustomerContext(store, phones));

        // A test may bind its own fetcher and trust anchors before start; production fetches over HTTPS and trusts the JDK's roots.
        SnsCertificates certificates = context.getRegistry().lookupByNameAndType("snsCertificates", SnsCertificates.class);
        if (certificates == null) {
            certificates = SnsCertificates.production(clock);
            registry.bind("snsCertificates", certificates);
        }
        registry.bind("snsEndpoint", new SnsEndpoint(events.snsAllowedTopicArns(), new SnsMessageVerifier(certificates),
                certificates, ingest, store, clock, retention));
        if (events.snsAllowedTopicArns().isEmpty()) {
            LOG.info("Events: SNS endpoint /events/sns refuses every topic (failover.events.sns.allowed-topic-arns is empty)");
        }

        context.getPropertiesComponent().addInitialProperty("failover.events.sqs.enabled", String.valueOf(events.sqsEnabled()));
        if (events.sqsEnabled()) {
            SqsClientBuilder builder = SqsClient.builder().region(Region.of(events.sqsRegion()))
                    .httpClientBuilder(UrlConnectionHttpClient.builder());
            if (events.sqsEndpoint() != null) {
                builder.endpointOverride(events.sqsEndpoint());
            }
            SqsClient sqs = builder.build();
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    sqs.close();
                }
            });
            registry.bind("eventsSqsClient", sqs);
            // Dead letters are the queue's RedrivePolicy's job: checked here, never moved by hand.
            int maxReceiveCount = SqsRedrivePolicy.check(sqs, events.sqsQueueUrl().toString(), events.sqsDlqUrl().toString(),
                    events.sqsMaxReceives());
            registry.bind("sqsEventConsumer", new SqsEventConsumer(ingest, maxReceiveCount));
            // Every receive counts towards maxReceiveCount: during a store outage the consumer stops receiving (the
            // first failure opens the breaker) and resumes only once the store takes writes again.
            org.apache.camel.throttling.ThrottlingExceptionRoutePolicy breaker = new org.apache.camel.throttling.ThrottlingExceptionRoutePolicy(
                    1, 60_000, 5_000, java.util.List.of(dev.ccaasfailover.store.StoreUnavailableException.class));
            breaker.setHalfOpenHandler(store::isAvailable);
            registry.bind("sqsStoreOutageBreaker", breaker);
            LOG.info("Events: consuming SQS queue {}", events.sqsQueueUrl());
        }
        LOG.info("Events: {} vendor formats from mappings; phone numbers without a country code read in {}",
                mappings.formats().size(), events.defaultRegion());
    }

    /**
     * A platform API or the DNS cutover is configured: the mapping files must then be the site's own, never the jar's
     * demo copy (a missing one stops start-up).
     */
    static boolean siteConfigured(FailoverConfig config) {
        for (Platform p : Platform.values()) {
            if (config.platform(p).baseUrl() != null) {
                return true;
            }
        }
        return config.dns().provider() != FailoverConfig.DnsProvider.NONE;
    }

    private static void onStop(CamelContext context, Runnable action) throws Exception {
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                action.run();
            }
        });
    }

    /**
     * Agent presence and queue sync, and capacity-based routing: mappings checked now (a bad entry stops start-up),
     * one rate-limited caller per vendor shared by both.
     */
    static void bindAgentSyncAndRouting(CamelContext context, Registry registry, FailoverConfig config, Store store, Clock clock,
                                        Map<Platform, HttpClient> httpClients, Map<Platform, OAuthTokenSource> tokens) throws Exception {
        FailoverConfig.AgentSettings a = config.agents();
        AgentMappings mappings = AgentMappings.load(config.mappingsDir(), a.unknownPresenceReason(), !siteConfigured(config));
        VendorHttp genesysHttp = vendorHttp(config, Platform.GENESYS, httpClients.get(Platform.GENESYS), tokens.get(Platform.GENESYS), clock);
        VendorHttp niceHttp = vendorHttp(config, Platform.NICE, httpClients.get(Platform.NICE), tokens.get(Platform.NICE), clock);
        // The vendor paths are beans of the route files (platform-<vendor>.camel.yaml), loaded after this class: looked
        // up when first needed, and checked for completeness as soon as the routes have started.
        Supplier<VendorEndpoints> genesysEndpoints = () -> endpoints(registry, Platform.GENESYS);
        Supplier<VendorEndpoints> niceEndpoints = () -> endpoints(registry, Platform.NICE);
        context.addStartupListener((ctx, alreadyStarted) -> {
            VendorEndpoints g = genesysEndpoints.get().require(GenesysAgentsClient.ENDPOINTS).requireBodies(GenesysAgentsClient.BODIES);
            VendorEndpoints n = niceEndpoints.get().require(NiceAgentsClient.ENDPOINTS).require("skillActivity")
                    .requireBodies(NiceAgentsClient.BODIES);
            LOG.info("Vendor endpoints from the route files: genesys {} paths and {} bodies, nice {} paths and {} bodies",
                    g.getPaths().size(), g.getBodies().size(), n.getPaths().size(), n.getBodies().size());
        });
        registry.bind("genesysAgents", new GenesysAgentsClient(genesysHttp, genesysEndpoints, a.concurrency()));
        NiceAgentsClient niceAgents = new NiceAgentsClient(niceHttp, niceEndpoints, a.concurrency());
        registry.bind("niceAgents", niceAgents);
        // NICE sets state only in an agent session: LoggedOut agents' states wait in the store for their login.
        NiceLoginWatch loginWatch = new NiceLoginWatch(store, niceAgents, clock, a.loginWatchMs(), config.health().instanceId());
        registry.bind("niceLoginWatch", loginWatch);
        context.addStartupListener((ctx, alreadyStarted) -> loginWatch.bindMetrics(ctx.getRegistry().findSingleByType(MeterRegistry.class)));
        java.util.Set<Platform> configured = java.util.EnumSet.noneOf(Platform.class);
        for (Platform p : Platform.values()) {
            if (config.platform(p).baseUrl() != null && config.platform(p).tokenUrl() != null) {
                configured.add(p);
            }
        }
        registry.bind("agentSync", new AgentSync(config.primary(), config.secondary(), mappings, configured));

        registry.bind("capacityRouter", new CapacityRouter(config.capacity(), mappings.queues(), clock, store));
        // NICE's skills/activity is polled only where it exists: NICE as the secondary, and configured.
        boolean poll = config.secondary() == Platform.NICE && niceHttp != null;
        registry.bind("niceSkillActivity", new NiceSkillActivityClient(niceHttp, niceEndpoints));
        if (!poll) {
            LOG.info("Capacity routing: no skill activity to poll (needs NICE as the secondary, configured); decisions say stale");
        }
        context.getPropertiesComponent().addInitialProperty("failover.capacity.poll-enabled", String.valueOf(poll));
    }

    /** The {@code <vendor>Endpoints} bean of routes/platform-<vendor>.camel.yaml. */
    static VendorEndpoints endpoints(Registry registry, Platform p) {
        String name = p.id() + "Endpoints";
        VendorEndpoints e = registry.lookupByNameAndType(name, VendorEndpoints.class);
        if (e == null) {
            throw new IllegalStateException("no bean " + name + ": routes/platform-" + p.id() + ".camel.yaml declares the "
                    + p.id() + " API paths; is that route file loaded?");
        }
        return e;
    }

    /**
     * The HTTP client of one platform, for all its callers. HTTP/1.1, as the agent sync always spoke: no h2c upgrade
     * attempt on plain-HTTP endpoints (drills, simulators). The connect time-out is the shortest of the callers'
     * time-outs (health probe, runbook vendor call, 5 s); every request also has its own time-out.
     */
    static HttpClient httpClient(FailoverConfig config) {
        long connectMs = Math.min(5000, Math.min(config.health().timeoutMs(), config.runbook().vendorTimeoutMs()));
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofMillis(connectMs)).build();
    }

    /**
     * The rate-limited caller of one vendor, or null when the platform is not configured. One request of each
     * minute's budget is kept for the OAuth token call, which does not pass the request window.
     */
    static VendorHttp vendorHttp(FailoverConfig config, Platform p, HttpClient http, OAuthTokenSource tokens, Clock clock) {
        PlatformSettings ps = config.platform(p);
        if (ps.baseUrl() == null || ps.tokenUrl() == null) {
            return null;
        }
        FailoverConfig.AgentSettings a = config.agents();
        int perMinute = p == Platform.GENESYS ? a.genesysRatePerMinute() : a.niceRatePerMinute();
        String base = ps.baseUrl().toString().replaceAll("/+$", "") + (p == Platform.NICE ? a.niceApiPath() : "");
        return new VendorHttp(p.id(), base, tokens, http,
                new RequestWindow(perMinute - 1, Duration.ofMinutes(1), clock, RequestWindow.Sleeper.REAL),
                a.maxRetries(), Duration.ofSeconds(30), clock, RequestWindow.Sleeper.REAL);
    }

    /** Probes for every configured layer: SIP OPTIONS on the trunk, an authenticated GET on the API. */
    static HealthMonitor healthMonitor(FailoverConfig config, HealthBoard board, Store store, Clock clock,
                                       Map<Platform, HttpClient> httpClients, Map<Platform, OAuthTokenSource> tokens) {
        FailoverConfig.HealthSettings h = config.health();
        SipOptionsProber sip = new SipOptionsProber(h.sipAliveCodes());
        Map<Platform, Map<Layer, HealthMonitor.LayerProbe>> probes = new EnumMap<>(Platform.class);
        for (Platform p : Platform.values()) {
            PlatformSettings ps = config.platform(p);
            Map<Layer, HealthMonitor.LayerProbe> layers = new EnumMap<>(Layer.class);
            if (ps.sipConfigured()) {
                SipTarget target = SipTarget.parse(ps.sipUri());
                layers.put(Layer.SIP, timeout -> Observation.ofSip(sip.probe(target, timeout), h.latencyThresholdMs()));
            }
            if (ps.apiConfigured()) {
                ApiLivenessProber api = new ApiLivenessProber(ps.apiHealthUrl(), tokens.get(p), httpClients.get(p));
                layers.put(Layer.API, api::probe);
            }
            probes.put(p, layers);
        }
        return new HealthMonitor(h, board, clock, probes, new QuorumGate(store, h.instanceId(), h.quorum(), h.quorumWindowMs(), clock));
    }

    /**
     * The OAuth token source of a platform (one per platform, shared): client credentials for Genesys, the access-key password grant for NICE
     * (docs/vendor-apis.md §1, §5); null when the platform has no token URL.
     */
    static OAuthTokenSource tokenSource(PlatformSettings ps, HttpClient http, Clock clock) {
        if (ps.tokenUrl() == null) {
            return null;
        }
        return switch (ps.platform()) {
            case GENESYS -> OAuthTokenSource.clientCredentials("genesys", ps.tokenUrl(), ps.clientId(), ps.clientSecret(), http, clock);
            case NICE -> OAuthTokenSource.passwordGrant("nice", ps.tokenUrl(), ps.clientId(), ps.clientSecret(),
                    ps.accessKeyId(), ps.accessKeySecret(), http, clock);
        };
    }

    private static SnsClient snsClient(FailoverConfig.NotifySettings notify) {
        if (notify.snsTopicArn() == null) {
            return null;
        }
        SnsClientBuilder b = SnsClient.builder().region(Region.of(notify.snsRegion()))
                .httpClientBuilder(UrlConnectionHttpClient.builder());
        if (notify.snsEndpoint() != null) {
            b.endpointOverride(notify.snsEndpoint());
        }
        return b.build();
    }

    private static void describePlatforms(FailoverConfig config) {
        LOG.info("Primary {} -> secondary {}; DNS provider {}", config.primary(), config.secondary(),
                config.dns().provider().configValue());
        for (Platform p : Platform.values()) {
            PlatformSettings ps = config.platform(p);
            if (!ps.apiConfigured() && !ps.sipConfigured()) {
                LOG.info("Platform {}: no endpoints configured (embedded defaults); its health stays Unknown", p);
            } else {
                LOG.info("Platform {}: API {} / SIP {}", p, ps.apiConfigured() ? ps.apiHealthUrl() : "not configured",
                        ps.sipConfigured() ? ps.sipUri() : "not configured");
            }
        }
    }
}
