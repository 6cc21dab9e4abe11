package dev.ccaasfailover;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.config.PlatformSettings;
import dev.ccaasfailover.health.HealthBoard;
import dev.ccaasfailover.http.ApiErrors;
import dev.ccaasfailover.observe.StoreReadinessCheck;
import dev.ccaasfailover.dns.Route53Cutover;
import dev.ccaasfailover.platform.VersionedJsonFlag;
import dev.ccaasfailover.runbook.ControlPlane;
import dev.ccaasfailover.runbook.RunJournal;
import dev.ccaasfailover.runbook.Runbook;
import dev.ccaasfailover.runbook.StatusReport;
import dev.ccaasfailover.runbook.StepChecks;
import dev.ccaasfailover.security.OAuthTokenSource;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;

import java.net.http.HttpClient;
import java.time.Duration;
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

        // The runbook: control plane and journal in the store, DNS through the AWS SDK, vendor calls behind beans
        // the platform-<vendor> routes call with the vendor's paths.
        registry.bind("runbook", new Runbook(config, new ControlPlane(store, config.primary()), new RunJournal(store), board, clock));
        registry.bind("stepChecks", new StepChecks(config.notifications().snsTopicArn() != null));
        Route53Cutover dns = Route53Cutover.create(config);
        registry.bind("dnsCutover", dns);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(config.runbook().vendorTimeoutMs())).build();
        PlatformSettings genesys = config.platform(Platform.GENESYS);
        registry.bind("genesysTrunks", new VersionedJsonFlag("genesys", genesys.baseUrl(), genesys.trunkBaseSettingsIds(),
                tokenSource(genesys, http, clock), http, Duration.ofMillis(config.runbook().vendorTimeoutMs())));
        SnsClient sns = snsClient(config.notifications());
        if (sns != null) {
            registry.bind("snsClient", sns);
        }
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                dns.close();
                if (sns != null) {
                    sns.close();
                }
            }
        });

        HealthCheckRegistry.get(context).register(new StoreReadinessCheck(store));
    }

    /** One OAuth token source per platform: client credentials for Genesys, the access-key password grant for NICE. */
    static OAuthTokenSource tokenSource(PlatformSettings ps, HttpClient http, Clock clock) {
        if (ps.tokenUrl() == null) {
            return null;
        }
        return ps.platform() == Platform.GENESYS
                ? OAuthTokenSource.clientCredentials(ps.platform().id(), ps.tokenUrl(), ps.clientId(), ps.clientSecret(), http, clock)
                : OAuthTokenSource.passwordGrant(ps.platform().id(), ps.tokenUrl(), ps.clientId(), ps.clientSecret(),
                        ps.accessKeyId(), ps.accessKeySecret(), http, clock);
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
