package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.HealthStatus;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.simulator.Simulators;
import dev.ccaasfailover.testsupport.BenchmarkReport;
import dev.ccaasfailover.testsupport.RunbookFixture;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trigger → DNS INSYNC and primary trunk off, median of 20 automatic failovers on the simulators (Route 53 change
 * INSYNC on the first GetChange; Genesys on loopback). Baseline in the same run: the same vendor calls made directly
 * (UPSERT + GetChange, trunk GET + PUT), without Camel, store or journal. Writes its section of BENCHMARKS.md.
 */
class RunbookBenchmark {

    static final int RUNS = 20;

    @Test
    void triggerToDnsInSyncAndTrunkOffMedianOfTwentyRuns() throws Exception {
        List<Long> cutover = new ArrayList<>();
        List<Long> whole = new ArrayList<>();
        List<Long> baseline = new ArrayList<>();
        try (RunbookFixture fx = RunbookFixture.create();
             RunningMiddleware app = fx.startApp(Map.of("failover.dns.route53.insync-poll-ms", "20"))) {
            RunbookFixture.setHealth(app, Platform.NICE, HealthStatus.Up);
            var producer = app.context().createProducerTemplate();
            for (int i = 0; i < RUNS + 2; i++) { // two warm-up runs
                Instant t0 = Instant.now();
                producer.sendBodyAndHeaders("direct:platform-down", Map.of("platform", "genesys", "reason", "bench"),
                        Map.of("platform", "genesys", "reason", "bench"));
                String runId = RunbookFixture.get(app, "/runs").at("/runs/0/runId").asText();
                JsonNode run = RunbookFixture.awaitRunEnded(app, runId);
                assertThat(run.get("outcome").asText()).isEqualTo("done");
                Instant cut = Instant.EPOCH;
                for (JsonNode s : run.get("steps")) {
                    if (List.of("dns", "trunk").contains(s.get("name").asText())) {
                        Instant f = Instant.parse(s.get("finishedAt").asText());
                        cut = f.isAfter(cut) ? f : cut;
                    }
                }
                if (i >= 2) {
                    cutover.add(cut.toEpochMilli() - t0.toEpochMilli());
                    whole.add(Instant.parse(run.get("finishedAt").asText()).toEpochMilli() - t0.toEpochMilli());
                }
                assertThat(fx.cname()).isEqualTo(Simulators.NICE_TRUNK_HOST);
                assertThat(fx.trunkEnabled()).isFalse();
                // back to NORMAL for the next round (not measured)
                String back = Json.MAPPER.readTree(RunbookFixture.post(app, "/failback", "{\"reason\":\"bench reset\",\"dryRun\":false}").body()).get("runId").asText();
                RunbookFixture.awaitRunEnded(app, back);
            }
            baseline(fx, baseline);
        }
        String section = "## Runbook: trigger → DNS INSYNC and trunk off\n\n"
                + "Median of " + RUNS + " automatic failovers (`direct:platform-down` for the primary) on the simulators,"
                + " measured from the trigger to the later of the journal's `finishedAt` of the dns step (UPSERT, GetChange"
                + " INSYNC, ListResourceRecordSets verify) and the trunk step (GET, versioned PUT, GET verify). The Route 53"
                + " simulator reports INSYNC on the first GetChange; real Route 53 typically takes tens of seconds, which this"
                + " figure does not include.\n\n"
                + "| measure | median ms | min ms | max ms |\n|---|---|---|---|\n"
                + row("trigger → DNS INSYNC and trunk off", cutover)
                + row("trigger → run finished (agents, notify, journal, state)", whole)
                + row("baseline: the same vendor calls made directly, sequentially (no Camel, store, journal)", baseline)
                + "\nCommand: `mvn -B -Pbench verify -Dtest=RunbookBenchmark`.\n";
        BenchmarkReport.write("runbook", section);
        System.out.println(section);
    }

    private static void baseline(RunbookFixture fx, List<Long> out) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String token = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(fx.sims.genesys().tokenUrl()))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (fx.sims.genesys().clientId() + ":" + fx.sims.genesys().clientSecret()).getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("access_token").asText();
        URI trunk = URI.create(fx.sims.genesys().baseUrl() + "/api/v2/telephony/providers/edges/trunkbasesettings/" + Simulators.TRUNK_BASE_SETTINGS_ID);
        try (Route53Client r53 = Route53Client.builder().endpointOverride(URI.create(fx.sims.route53().baseUrl()))
                .region(Region.AWS_GLOBAL).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            for (int i = 0; i < RUNS + 2; i++) {
                String host = i % 2 == 0 ? Simulators.GENESYS_TRUNK_HOST : Simulators.NICE_TRUNK_HOST;
                long t0 = System.nanoTime();
                String id = r53.changeResourceRecordSets(r -> r.hostedZoneId(Simulators.HOSTED_ZONE_ID).changeBatch(b -> b.changes(
                        Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(ResourceRecordSet.builder()
                                .name(Simulators.RECORD_NAME).type(RRType.CNAME).ttl(60L)
                                .resourceRecords(ResourceRecord.builder().value(host).build()).build()).build()))).changeInfo().id();
                while (r53.getChange(r -> r.id(id)).changeInfo().status() != ChangeStatus.INSYNC) {
                    Thread.onSpinWait();
                }
                JsonNode current = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(trunk).header("Authorization", "Bearer " + token)
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
                ((com.fasterxml.jackson.databind.node.ObjectNode) current.at("/properties/trunk_enabled/value")).put("instance", i % 2 == 0);
                http.send(HttpRequest.newBuilder(trunk).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(current.toString())).build(), HttpResponse.BodyHandlers.ofString());
                if (i >= 2) {
                    out.add((System.nanoTime() - t0) / 1_000_000);
                }
            }
        }
    }

    private static String row(String what, List<Long> values) {
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        double median = v.size() % 2 == 1 ? v.get(v.size() / 2) : (v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2.0;
        return String.format(Locale.ROOT, "| %s | %.1f | %d | %d |%n", what, median, v.get(0), v.get(v.size() - 1));
    }
}
