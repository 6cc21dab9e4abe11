package dev.ccaasfailover.runbook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.testsupport.ClasspathMiddlewareProcess;
import dev.ccaasfailover.testsupport.RunbookFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.ccaasfailover.testsupport.RunbookFixture.steps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Run leases with real processes: separate JVMs of the middleware on one SQLite file, the Genesys and Route 53
 * simulators in this JVM (their request logs count the external changes). The run is held in its DNS step by a slow
 * Route 53 propagation (the CNAME is changed, INSYNC not yet reached), so the owner dies after an external change that
 * its journal does not hold yet: the hardest moment for a resume.
 */
class RunLeaseProcessesTest {

    static final long LEASE_MS = 2000;
    static final long POLL_MS = LEASE_MS / 3;

    RunbookFixture fx;
    final List<ClasspathMiddlewareProcess> processes = new ArrayList<>();

    @BeforeEach
    void simulators() throws Exception {
        fx = RunbookFixture.create();
        fx.sims.route53().setPropagationDelayMs(120_000); // released by the test (syncPendingChanges) or never
    }

    @AfterEach
    void stop() {
        processes.forEach(ClasspathMiddlewareProcess::close);
        fx.close();
    }

    /** The shared store: the fixture's SQLite folder here; DynamoDB on moto_server in {@link RunLeaseProcessesOnMotoTest}. */
    Map<String, String> storeProperties() {
        return Map.of();
    }

    ClasspathMiddlewareProcess start(String name) throws Exception {
        Map<String, String> extra = new LinkedHashMap<>(storeProperties());
        extra.put("failover.runbook.lease-ms", String.valueOf(LEASE_MS));
        extra.put("failover.dns.route53.insync-timeout-ms", "180000");
        extra.put("failover.dns.route53.insync-poll-ms", "100");
        ClasspathMiddlewareProcess p = ClasspathMiddlewareProcess.start(name, fx.properties(extra));
        processes.add(p);
        return p;
    }


    /** Starts a failover on {@code owner} and waits until trunk is done and dns waits for INSYNC (CNAME changed). */
    String runHeldInItsDnsStep(ClasspathMiddlewareProcess owner) throws Exception {
        HttpResponse<String> accepted = owner.post("/failover", "{\"reason\":\"lease drill\",\"dryRun\":false}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        String runId = Json.MAPPER.readTree(accepted.body()).get("runId").asText();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Map<String, JsonNode> s = steps(owner.getJson("/runs/" + runId));
            return s.containsKey("trunk") && "done".equals(s.get("trunk").path("outcome").asText())
                    && s.containsKey("dns") && "running".equals(s.get("dns").path("outcome").asText())
                    && fx.route53Changes() == 1;
        });
        return runId;
    }

    JsonNode awaitRunEnded(ClasspathMiddlewareProcess p, String runId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            last[0] = p.getJson("/runs/" + runId);
            return !"running".equals(last[0].path("outcome").asText());
        });
        return last[0];
    }

    @Test
    void theOwnerKilledMidRunIsResumedByTheOtherWithinTheLeasePlusOnePollWithoutRepeatingAStepOrAChange() throws Exception {
        ClasspathMiddlewareProcess a = start("A");
        ClasspathMiddlewareProcess b = start("B");
        a.awaitReady(Duration.ofSeconds(90));
        b.awaitReady(Duration.ofSeconds(90));
        String runId = runHeldInItsDnsStep(a);
        assertThat(b.getJson("/status").path("runOwner").asText()).isEqualTo("A");

        long killedAt = System.nanoTime();
        a.kill();
        await().atMost(Duration.ofMillis(LEASE_MS + POLL_MS + 3000)).pollInterval(Duration.ofMillis(20))
                .until(() -> "B".equals(b.getJson("/status").path("runOwner").asText()));
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("lease (%s): SIGKILL of the owner -> run owned by B after %d ms (lease %d ms, poll %d ms)%n",
                getClass().getSimpleName(), takeoverMs, LEASE_MS, POLL_MS);
        assertThat(takeoverMs).as("taken over within the lease plus one poll (and 1 s for this busy machine)")
                .isLessThan(LEASE_MS + POLL_MS + 1000);

        JsonNode run = awaitRunEnded(b, runId);
        assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("done");
        Map<String, JsonNode> s = steps(run);
        assertThat(s.get("trunk").path("attempts").asInt()).as("trunk completed by A, not repeated").isEqualTo(1);
        assertThat(s.get("dns").path("outcome").asText()).as("B found the CNAME A had moved").isEqualTo("skipped");
        assertThat(fx.route53Changes()).as("one DNS change in all").isEqualTo(1);
        assertThat(fx.trunkPuts()).as("one trunk change in all").isEqualTo(1);
        JsonNode status = b.getJson("/status");
        assertThat(status.path("state").asText()).isEqualTo("FAILED_OVER");
        assertThat(status.path("runOwner").asText()).isEqualTo("B");
        assertThat(status.has("runLeaseUntil")).as("no lease once the run has ended").isFalse();
        assertThat(b.logText()).containsPattern("Took over run " + runId + " \\(FAILING_OVER\\): lease expired at \\S+Z, owner A; epoch 1 → 2");
    }

    @Test
    void anInstanceStartedMidRunWhileTheOwnerLivesDoesNotTakeItOver() throws Exception {
        ClasspathMiddlewareProcess a = start("A");
        a.awaitReady(Duration.ofSeconds(90));
        String runId = runHeldInItsDnsStep(a);

        ClasspathMiddlewareProcess c = start("C"); // started after the claim: the old start-up resume would have taken the run
        c.awaitReady(Duration.ofSeconds(90));
        long watchUntil = System.nanoTime() + Duration.ofMillis(LEASE_MS + 2 * POLL_MS + 500).toNanos();
        while (System.nanoTime() < watchUntil) {
            JsonNode status = c.getJson("/status");
            assertThat(status.path("runOwner").asText()).isEqualTo("A");
            assertThat(status.path("runLeaseUntil").asText()).isNotEmpty();
            Thread.sleep(100);
        }
        assertThat(c.logText()).doesNotContain("Took over run");

        fx.sims.route53().syncPendingChanges(); // A's DNS step sees INSYNC
        JsonNode run = awaitRunEnded(c, runId);
        assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("done");
        Map<String, JsonNode> s = steps(run);
        assertThat(s.get("dns").path("outcome").asText()).isEqualTo("done");
        assertThat(s.get("dns").path("attempts").asInt()).isEqualTo(1);
        assertThat(fx.route53Changes()).isEqualTo(1);
        assertThat(fx.trunkPuts()).isEqualTo(1);
        assertThat(c.getJson("/status").path("runOwner").asText()).isEqualTo("A");
        assertThat(c.logText()).doesNotContain("Took over run");
        assertThat(a.logText()).doesNotContain("lost its lease").doesNotContain("no longer current");
    }
}
