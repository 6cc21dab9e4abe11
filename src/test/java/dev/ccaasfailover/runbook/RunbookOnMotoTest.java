package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.simulator.Simulators;
import dev.ccaasfailover.testsupport.BindServer;
import dev.ccaasfailover.testsupport.MotoServer;
import dev.ccaasfailover.testsupport.MotoServerExtension;
import dev.ccaasfailover.testsupport.RunbookFixture;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The DNS step against a real Route 53 emulator (moto_server: CreateHostedZone, ChangeResourceRecordSets, GetChange,
 * ListResourceRecordSets) and the notify step publishing to an SNS topic there, read back through an SQS
 * subscription.
 */
class RunbookOnMotoTest {

    @RegisterExtension
    static final MotoServerExtension MOTO = new MotoServerExtension();
    static RunbookFixture fx;
    static Route53Client route53;
    static SnsClient sns;
    static SqsClient sqs;

    @BeforeAll
    static void up() throws Exception {
        fx = RunbookFixture.create();
        StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY));
        route53 = Route53Client.builder().endpointOverride(MOTO.server().endpointUri()).region(Region.AWS_GLOBAL).credentialsProvider(creds)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        sns = SnsClient.builder().endpointOverride(MOTO.server().endpointUri()).region(Region.US_EAST_1).credentialsProvider(creds)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        sqs = SqsClient.builder().endpointOverride(MOTO.server().endpointUri()).region(Region.US_EAST_1).credentialsProvider(creds)
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @AfterAll
    static void down() {
        route53.close();
        sns.close();
        sqs.close();
        fx.close();
    }

    @Test
    void theDnsStepUpsertsTheCnameOnRoute53WaitsForInSyncAndTheSummaryIsPublishedToSns() throws Exception {
        String zoneId = route53.createHostedZone(r -> r.name(Simulators.HOSTED_ZONE_NAME).callerReference("runbook-" + System.nanoTime()))
                .hostedZone().id().replace("/hostedzone/", "");
        route53.changeResourceRecordSets(r -> r.hostedZoneId(zoneId).changeBatch(b -> b.changes(Change.builder()
                .action(ChangeAction.CREATE).resourceRecordSet(ResourceRecordSet.builder().name(Simulators.RECORD_NAME)
                        .type(RRType.CNAME).ttl(300L).resourceRecords(ResourceRecord.builder().value(Simulators.GENESYS_TRUNK_HOST).build())
                        .build()).build())));
        String topicArn = sns.createTopic(r -> r.name("ccaas-failover-runs")).topicArn();
        String queueUrl = sqs.createQueue(r -> r.queueName("runs-" + System.nanoTime())).queueUrl();
        String queueArn = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(r -> r.topicArn(topicArn).protocol("sqs").endpoint(queueArn));

        // A carrier's resolver that keeps the old answer: the split-brain watch reports it on the same topic.
        try (BindServer carrier = BindServer.start(Simulators.RECORD_NAME, Simulators.GENESYS_TRUNK_HOST);
             RunningMiddleware app = fx.startApp(Map.of(
                "failover.dns.route53.endpoint", MOTO.server().endpoint(),
                "failover.dns.route53.hosted-zone-id", zoneId,
                "failover.notify.sns.topic-arn", topicArn,
                "failover.notify.sns.endpoint", MOTO.server().endpoint(),
                "failover.dns.propagation.resolvers", carrier.resolverSetting(),
                "failover.dns.propagation.poll-ms", "200",
                "failover.dns.propagation.timeout-ms", "1000"))) {
            HttpResponse<String> accepted = RunbookFixture.post(app, "/failover", "{\"reason\":\"moto drill\",\"dryRun\":false}");
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            String runId = Json.MAPPER.readTree(accepted.body()).get("runId").asText();
            JsonNode run = RunbookFixture.awaitRunEnded(app, runId);
            assertThat(run.get("outcome").asText()).as(run.toString()).isEqualTo("done");
            JsonNode dns = run.at("/steps").findParents("name").stream().filter(s -> s.get("name").asText().equals("dns")).findFirst().orElseThrow();
            assertThat(dns.get("outcome").asText()).isEqualTo("done");
            assertThat(dns.get("detail").asText()).contains("INSYNC").contains("TTL 60");

            ResourceRecordSet record = route53.listResourceRecordSets(r -> r.hostedZoneId(zoneId)
                    .startRecordName(Simulators.RECORD_NAME).startRecordType(RRType.CNAME).maxItems("1")).resourceRecordSets().get(0);
            assertThat(record.resourceRecords().get(0).value()).isEqualTo(Simulators.NICE_TRUNK_HOST);
            assertThat(record.ttl()).isEqualTo(60L);

            List<JsonNode> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                for (Message m : sqs.receiveMessage(r -> r.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(10)).messages()) {
                    received.add(Json.MAPPER.readTree(m.body()));
                }
                return received.size() >= 2;
            });
            JsonNode runEnvelope = received.stream().filter(e -> !e.path("Subject").asText().contains("DNS")).findFirst().orElseThrow();
            JsonNode summary = Json.MAPPER.readTree(runEnvelope.get("Message").asText());
            assertThat(summary.get("runId").asText()).isEqualTo(runId);
            assertThat(summary.get("expectedOutcome").asText()).isEqualTo("done");

            JsonNode dnsEnvelope = received.stream().filter(e -> e.path("Subject").asText().contains("DNS")).findFirst().orElseThrow();
            assertThat(dnsEnvelope.get("Subject").asText()).isEqualTo("ccaas-failover DNS propagation split " + runId);
            JsonNode watch = Json.MAPPER.readTree(dnsEnvelope.get("Message").asText());
            assertThat(watch.get("expected").asText()).isEqualTo(Simulators.NICE_TRUNK_HOST);
            assertThat(watch.at("/resolvers/0/resolver").asText()).isEqualTo(carrier.resolverSetting());
            assertThat(watch.at("/resolvers/0/answer").asText()).isEqualTo(Simulators.GENESYS_TRUNK_HOST);

            // a second failover request changes nothing on Route 53
            assertThat(RunbookFixture.post(app, "/failover", "{\"reason\":\"again\",\"dryRun\":false}").statusCode()).isEqualTo(409);
        }
    }
}
