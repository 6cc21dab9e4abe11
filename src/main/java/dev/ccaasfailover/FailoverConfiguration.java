package dev.ccaasfailover;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.context.CustomerContext;
import dev.ccaasfailover.context.EventIngest;
import dev.ccaasfailover.context.EventMappings;
import dev.ccaasfailover.context.EventTranslator;
import dev.ccaasfailover.context.PhoneNormalizer;
import dev.ccaasfailover.context.SnsCertificates;
import dev.ccaasfailover.context.SnsEndpoint;
import dev.ccaasfailover.context.SnsMessageVerifier;
import dev.ccaasfailover.context.SqsEventConsumer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.config.PlatformSettings;
import dev.ccaasfailover.health.HealthBoard;
import dev.ccaasfailover.http.ApiErrors;
import dev.ccaasfailover.http.OversizedBodyResponder;
import org.apache.camel.ExtendedStartupListener;
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

        bindContext(context, config, store, clock);

        HealthCheckRegistry.get(context).register(new StoreReadinessCheck(store));

        long maxBody = Long.parseLong(context.getPropertiesComponent().resolveProperty("camel.server.maxBodySize").orElse("262144"));
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                // the HTTP server is not up yet here
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                OversizedBodyResponder.install(ctx, maxBody);
            }
        });
    }

    /** Customer context: ingest (REST, SNS, SQS) and the context API. */
    private static void bindContext(CamelContext context, FailoverConfig config, Store store, Clock clock) throws Exception {
        Registry registry = context.getRegistry();
        FailoverConfig.EventSettings events = config.events();
        int retention = config.store().retentionDays();
        EventMappings mappings = EventMappings.load(config.mappingsDir());
        PhoneNormalizer phones = new PhoneNormalizer(events.defaultRegion());
        EventIngest ingest = new EventIngest(new EventTranslator(mappings, phones), store, clock, retention);
        registry.bind("eventIngest", ingest);
        registry.bind("customerContext", new CustomerContext(store, phones));

        // A test may bind its own host policy before start; production allows SNS hosts over HTTPS only.
        SnsCertificates certificates = context.getRegistry().lookupByNameAndType("snsCertificates", SnsCertificates.class);
        if (certificates == null) {
            certificates = SnsCertificates.production();
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
            registry.bind("sqsEventConsumer", new SqsEventConsumer(ingest, sqs, events.sqsDlqUrl().toString(),
                    events.sqsMaxReceives()));
            LOG.info("Events: consuming SQS queue {} (dead letters to {} after {} receives)", events.sqsQueueUrl(),
                    events.sqsDlqUrl(), events.sqsMaxReceives());
        }
        LOG.info("Events: {} vendor formats from mappings; phone numbers without a country code read in {}",
                mappings.formats().size(), events.defaultRegion());
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
