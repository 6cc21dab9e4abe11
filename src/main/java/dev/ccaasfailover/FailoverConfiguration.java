package dev.ccaasfailover;

import dev.ccaasfailover.agents.AgentMappings;
import dev.ccaasfailover.agents.AgentSync;
import dev.ccaasfailover.agents.GenesysAgentsClient;
import dev.ccaasfailover.agents.NiceAgentsClient;
import dev.ccaasfailover.agents.TokenBucket;
import dev.ccaasfailover.agents.VendorHttp;
import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.config.PlatformSettings;
import dev.ccaasfailover.health.ApiLivenessProber;
import dev.ccaasfailover.health.HealthBoard;
import dev.ccaasfailover.health.HealthMonitor;
import dev.ccaasfailover.health.Layer;
import dev.ccaasfailover.health.Observation;
import dev.ccaasfailover.health.QuorumGate;
import dev.ccaasfailover.health.SipOptionsProber;
import dev.ccaasfailover.health.SipTarget;
import dev.ccaasfailover.security.OAuthTokenSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import dev.ccaasfailover.http.ApiErrors;
import dev.ccaasfailover.observe.StoreReadinessCheck;
import dev.ccaasfailover.runbook.StatusReport;
import dev.ccaasfailover.security.BearerTokenAuthorizer;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Validates the configuration and binds the beans the YAML routes call. Anything wrong in the configuration stops
 * here, before a route or a server has started.
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
        Store store = StoreFactory.open(s.kind().name().toLowerCase(java.util.Locale.ROOT), s.dataDir(), s.dynamoDbRegion(),
                s.dynamoDbEndpoint() == null ? null : s.dynamoDbEndpoint().toString(), s.tablePrefix(), clock);
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                store.close();
            }
        });

        HealthBoard board = new HealthBoard(config, clock);
        Registry registry = context.getRegistry();
        registry.bind("clock", clock);
        registry.bind("failoverConfig", config);
        registry.bind("store", store);
        registry.bind("healthBoard", board);
        registry.bind("bearerAuth", new BearerTokenAuthorizer(config.roleTokens()));
        registry.bind("apiErrors", new ApiErrors());
        registry.bind("statusReport", new StatusReport(config, store, board));

        HealthMonitor monitor = healthMonitor(config, board, store, clock);
        registry.bind("healthMonitor", monitor);
        context.addStartupListener((ctx, alreadyStarted) ->
                monitor.bindMetrics(ctx.getRegistry().findSingleByType(MeterRegistry.class)));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                monitor.close();
            }
        });

        HealthCheckRegistry.get(context).register(new StoreReadinessCheck(store));

        bindAgentSync(registry, config, clock);
    }

    /** Agent presence and queue sync: mappings checked now (a bad entry stops start-up), one client per vendor. */
    static void bindAgentSync(Registry registry, FailoverConfig config, Clock clock) {
        FailoverConfig.AgentSettings a = config.agents();
        AgentMappings mappings = AgentMappings.load(config.mappingsDir(), a.unknownPresenceReason());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        registry.bind("genesysAgents", new GenesysAgentsClient(agentsHttp(config, Platform.GENESYS, http, clock), a.concurrency()));
        registry.bind("niceAgents", new NiceAgentsClient(agentsHttp(config, Platform.NICE, http, clock), a.concurrency()));
        registry.bind("agentSync", new AgentSync(config.primary(), config.secondary(), mappings));
    }

    /**
     * The rate-limited caller of one vendor, or null when the platform is not configured. One request of each
     * minute's budget is kept for the OAuth token call, which does not pass the bucket.
     */
    static VendorHttp agentsHttp(FailoverConfig config, Platform p, HttpClient http, Clock clock) {
        PlatformSettings ps = config.platform(p);
        if (ps.baseUrl() == null || ps.tokenUrl() == null) {
            return null;
        }
        FailoverConfig.AgentSettings a = config.agents();
        int perMinute = p == Platform.GENESYS ? a.genesysRatePerMinute() : a.niceRatePerMinute();
        String base = ps.baseUrl().toString().replaceAll("/+$", "") + (p == Platform.NICE ? a.niceApiPath() : "");
        return new VendorHttp(p.id(), base, tokenSource(ps, http, clock), http,
                new TokenBucket(perMinute - 1, Duration.ofMinutes(1), clock, TokenBucket.Sleeper.REAL),
                a.maxRetries(), Duration.ofSeconds(30), clock, TokenBucket.Sleeper.REAL);
    }

    /** Probes for every configured layer: SIP OPTIONS on the trunk, an authenticated GET on the API. */
    static HealthMonitor healthMonitor(FailoverConfig config, HealthBoard board, Store store, Clock clock) {
        FailoverConfig.HealthSettings h = config.health();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(h.timeoutMs())).build();
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
                ApiLivenessProber api = new ApiLivenessProber(ps.apiHealthUrl(), tokenSource(ps, http, clock), http);
                layers.put(Layer.API, api::probe);
            }
            probes.put(p, layers);
        }
        return new HealthMonitor(h, board, clock, probes, new QuorumGate(store, h.instanceId(), h.quorum(), h.quorumWindowMs(), clock));
    }

    /** Genesys: client credentials; NICE: the access key's password grant (VENDOR-APIS.md §1, §5). */
    static OAuthTokenSource tokenSource(PlatformSettings ps, HttpClient http, Clock clock) {
        return switch (ps.platform()) {
            case GENESYS -> OAuthTokenSource.clientCredentials("genesys", ps.tokenUrl(), ps.clientId(), ps.clientSecret(), http, clock);
            case NICE -> OAuthTokenSource.passwordGrant("nice", ps.tokenUrl(), ps.clientId(), ps.clientSecret(),
                    ps.accessKeyId(), ps.accessKeySecret(), http, clock);
        };
    }

    private static void describePlatforms(FailoverConfig config) {
        LOG.info("Primary {} -> secondary {}; DNS provider {}", config.primary(), config.secondary(),
                config.dns().provider().name().toLowerCase(java.util.Locale.ROOT));
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
