package dev.ccaasfailover.dns;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.runbook.StepFailedException;
import dev.ccaasfailover.simulator.Route53Simulator;
import dev.ccaasfailover.testsupport.MotoServer;
import dev.ccaasfailover.testsupport.MotoServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The DNS step's INSYNC wait (the SDK's Route 53 waiter) on moto_server and, for a change that stays PENDING, on the simulator. */
class Route53CutoverTest {

    @RegisterExtension
    static final MotoServerExtension MOTO = new MotoServerExtension();

    private static final String RECORD = "inbound.voiceservices.example.com";

    private static Route53Client client(URI endpoint) {
        return Route53Client.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    private static FailoverConfig.DnsSettings dns(String zoneId, URI endpoint) {
        return new FailoverConfig.DnsSettings(FailoverConfig.DnsProvider.ROUTE53, RECORD, 60,
                Map.of(Platform.GENESYS, "genesys-trunk.example.com", Platform.NICE, "nice-trunk.example.com"), zoneId, endpoint,
                new FailoverConfig.PropagationSettings(List.of(), 1000, 100), null);
    }

    @Test
    void aChangeOnMotoIsAwaitedUntilInSyncAndReadsBack() throws Exception {
        Route53Client c = client(MOTO.server().endpointUri());
        String zoneId = c.createHostedZone(r -> r.name("voiceservices.example.com").callerReference("cutover-" + System.nanoTime()))
                .hostedZone().id().replace("/hostedzone/", "");
        try (Route53Cutover cutover = new Route53Cutover(dns(zoneId, MOTO.server().endpointUri()), 5000, 20, c)) {
            String changeId = cutover.upsert("nice");
            assertThat(cutover.awaitInSync(changeId)).isEqualTo("Route 53 change " + changeId + " INSYNC");
            assertThat(cutover.read("nice").holds()).isTrue();
        }
    }

    @Test
    void aChangeThatBecomesInSyncWithinTheTimeoutIsAwaited() throws Exception {
        try (Route53Simulator sim = new Route53Simulator(0).start()) {
            sim.addHostedZone("Z0SIM", "voiceservices.example.com");
            sim.setPropagationDelayMs(300);
            URI endpoint = URI.create(sim.baseUrl());
            try (Route53Cutover cutover = new Route53Cutover(dns("Z0SIM", endpoint), 5000, 50, client(endpoint))) {
                // timed from before the UPSERT: the simulator's delay runs from its receipt of the change
                long start = System.nanoTime();
                String changeId = cutover.upsert("nice");
                cutover.awaitInSync(changeId);
                assertThat((System.nanoTime() - start) / 1_000_000).isBetween(300L, 4000L);
            }
        }
    }

    @Test
    void aChangeStillPendingAfterTheConfiguredTimeoutFailsTheAttemptRetryably() {
        try (Route53Simulator sim = new Route53Simulator(0).start()) {
            sim.addHostedZone("Z0SIM", "voiceservices.example.com");
            sim.setPropagationDelayMs(60_000);
            URI endpoint = URI.create(sim.baseUrl());
            try (Route53Cutover cutover = new Route53Cutover(dns("Z0SIM", endpoint), 600, 50, client(endpoint))) {
                String changeId = cutover.upsert("nice");
                long start = System.nanoTime();
                assertThatThrownBy(() -> cutover.awaitInSync(changeId))
                        .isInstanceOfSatisfying(StepFailedException.class, e -> assertThat(e.retryable()).isTrue())
                        .hasMessageContaining("still PENDING after 600 ms");
                assertThat((System.nanoTime() - start) / 1_000_000).isBetween(400L, 3000L);
            }
        }
    }
}
