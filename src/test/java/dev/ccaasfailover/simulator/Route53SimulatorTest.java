package dev.ccaasfailover.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.Route53Exception;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class Route53SimulatorTest {

    private static final String ZONE = "Z0SIMULATED";
    private static final String NAME = "inbound.voiceservices.example.com";

    private Route53Simulator sim;
    private Route53Client route53;

    @BeforeEach
    void start() {
        sim = new Route53Simulator(0).start();
        sim.addHostedZone(ZONE, "voiceservices.example.com");
        sim.putRecord(ZONE, NAME, "CNAME", 60, "genesys-primary.trunk.example.com");
        route53 = Route53Client.builder()
                .endpointOverride(URI.create(sim.baseUrl()))
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSIMULATED", "secret")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(2)).build())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    @AfterEach
    void stop() {
        route53.close();
        sim.close();
    }

    private ChangeResourceRecordSetsResponse change(ChangeAction action, String zoneId, String value) {
        ResourceRecordSet set = ResourceRecordSet.builder().name(NAME).type(RRType.CNAME).ttl(60L)
                .resourceRecords(ResourceRecord.builder().value(value).build()).build();
        return route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId)
                .changeBatch(b -> b.comment("failover").changes(Change.builder().action(action).resourceRecordSet(set).build())));
    }

    @Test
    void upsertIsPendingUntilThePropagationDelayThenInSync() {
        sim.setPropagationDelayMs(300);
        ChangeResourceRecordSetsResponse response = change(ChangeAction.UPSERT, ZONE, "nice-secondary.trunk.example.com");
        String changeId = response.changeInfo().id();
        assertThat(response.changeInfo().status()).isEqualTo(ChangeStatus.PENDING);
        assertThat(response.changeInfo().submittedAt()).isNotNull();
        assertThat(route53.getChange(r -> r.id(changeId)).changeInfo().status()).isEqualTo(ChangeStatus.PENDING);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50))
                .until(() -> route53.getChange(r -> r.id(changeId)).changeInfo().status() == ChangeStatus.INSYNC);

        ListResourceRecordSetsResponse listed = route53.listResourceRecordSets(r -> r.hostedZoneId(ZONE)
                .startRecordName(NAME).startRecordType(RRType.CNAME).maxItems("1"));
        ResourceRecordSet record = listed.resourceRecordSets().get(0);
        assertThat(record.name()).isEqualTo(NAME + ".");
        assertThat(record.ttl()).isEqualTo(60L);
        assertThat(record.resourceRecords()).extracting(ResourceRecord::value).containsExactly("nice-secondary.trunk.example.com");
        assertThat(sim.record(ZONE, NAME, "CNAME")).get().extracting(Route53RecordSet::values)
                .isEqualTo(java.util.List.of("nice-secondary.trunk.example.com"));
    }

    @Test
    void hostedZoneIdWithPrefixIsAccepted() {
        change(ChangeAction.UPSERT, "/hostedzone/" + ZONE, "x.example.com");
        assertThat(sim.record(ZONE, NAME + ".", "cname").orElseThrow().values()).containsExactly("x.example.com");
    }

    @Test
    void createOfAnExistingRecordIsAnInvalidChangeBatchAndChangesNothing() {
        assertThatThrownBy(() -> change(ChangeAction.CREATE, ZONE, "other.example.com"))
                .isInstanceOf(InvalidChangeBatchException.class)
                .hasMessageContaining("already exists");
        assertThat(sim.record(ZONE, NAME, "CNAME").orElseThrow().values()).containsExactly("genesys-primary.trunk.example.com");
    }

    @Test
    void deleteMustRepeatTheCurrentValues() {
        assertThatThrownBy(() -> change(ChangeAction.DELETE, ZONE, "wrong.example.com"))
                .isInstanceOf(InvalidChangeBatchException.class);
        change(ChangeAction.DELETE, ZONE, "genesys-primary.trunk.example.com");
        assertThat(sim.record(ZONE, NAME, "CNAME")).isEmpty();
    }

    @Test
    void batchIsAllOrNothing() {
        ResourceRecordSet upsert = ResourceRecordSet.builder().name("a." + "voiceservices.example.com").type(RRType.A).ttl(60L)
                .resourceRecords(ResourceRecord.builder().value("192.0.2.1").build()).build();
        ResourceRecordSet badCreate = ResourceRecordSet.builder().name(NAME).type(RRType.CNAME).ttl(60L)
                .resourceRecords(ResourceRecord.builder().value("dup.example.com").build()).build();
        assertThatThrownBy(() -> route53.changeResourceRecordSets(r -> r.hostedZoneId(ZONE).changeBatch(b -> b.changes(
                Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(upsert).build(),
                Change.builder().action(ChangeAction.CREATE).resourceRecordSet(badCreate).build()))))
                .isInstanceOf(InvalidChangeBatchException.class);
        assertThat(sim.record(ZONE, "a.voiceservices.example.com", "A")).isEmpty();
    }

    @Test
    void unknownZoneIsNoSuchHostedZone() {
        assertThatThrownBy(() -> change(ChangeAction.UPSERT, "ZNOPE", "x.example.com"))
                .isInstanceOf(NoSuchHostedZoneException.class);
        assertThatThrownBy(() -> route53.listResourceRecordSets(r -> r.hostedZoneId("ZNOPE")))
                .isInstanceOf(NoSuchHostedZoneException.class);
    }

    @Test
    void listingIsInRoute53OrderWithApexRecords() {
        sim.putRecord(ZONE, "b.voiceservices.example.com", "A", 300, "192.0.2.2");
        var names = route53.listResourceRecordSets(r -> r.hostedZoneId(ZONE)).resourceRecordSets().stream()
                .map(s -> s.name() + " " + s.typeAsString()).toList();
        assertThat(names).containsExactly("voiceservices.example.com. NS", "voiceservices.example.com. SOA",
                "b.voiceservices.example.com. A", "inbound.voiceservices.example.com. CNAME");
        assertThat(route53.getHostedZone(r -> r.id(ZONE)).hostedZone().name()).isEqualTo("voiceservices.example.com.");
    }

    @Test
    void unsignedRequestsAreForbidden() throws Exception {
        var response = new SimulatorHttp(sim.baseUrl()).send(new SimulatorHttp(sim.baseUrl())
                .request("/2013-04-01/hostedzone/" + ZONE + "/rrset").GET());
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("<Code>MissingAuthenticationToken</Code>");
    }

    @Test
    void faultsSurfaceAsSdkErrors() {
        sim.setFault(Fault.error(503).times(1));
        assertThatThrownBy(() -> change(ChangeAction.UPSERT, ZONE, "x.example.com"))
                .isInstanceOfSatisfying(Route53Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(503);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
                });

        sim.setFault(Fault.rateLimit(2));
        assertThatThrownBy(() -> change(ChangeAction.UPSERT, ZONE, "x.example.com"))
                .isInstanceOfSatisfying(Route53Exception.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                    assertThat(e.isThrottlingException()).isTrue();
                });

        sim.setFault(Fault.refuse());
        assertThatThrownBy(() -> change(ChangeAction.UPSERT, ZONE, "x.example.com")).isInstanceOf(SdkClientException.class);
        sim.setFault(Fault.hang());
        assertThatThrownBy(() -> change(ChangeAction.UPSERT, ZONE, "x.example.com")).isInstanceOf(SdkClientException.class);
        sim.clearFault();
        assertThat(change(ChangeAction.UPSERT, ZONE, "x.example.com").changeInfo().status()).isEqualTo(ChangeStatus.PENDING);
    }
}
