package dev.ccaasfailover;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.simulator.Simulators;
import dev.ccaasfailover.testsupport.MiddlewareProcess;
import dev.ccaasfailover.testsupport.MotoServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances of the built jar, each its own JVM, on one store (a SQLite file with the file-lock cluster, or
 * DynamoDB on moto_server with the DynamoDB lease) and quorum 2 (the default Kubernetes deployment's shape): exactly one leads; SIGKILL the leader and a follower leads within the
 * lease; the next primary outage, seen by the two survivors, fails over exactly once.
 */
class LeaderFailoverIT {

    static final long LEASE_MS = 2000;
    static final long RENEW_MS = 500;

    private final List<MiddlewareProcess> instances = new ArrayList<>();
    private Simulators sims;
    private MotoServer moto;

    @AfterEach
    void stop() throws Exception {
        for (MiddlewareProcess p : instances) {
            p.close();
        }
        if (sims != null) {
            sims.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void onOneSqliteFileKilledLeaderIsReplacedWithinTheLeaseAndTheNextOutageFailsOverOnce() throws Exception {
        Path dataDir = Files.createTempDirectory("ccaas-failover-cluster");
        scenario("file", LEASE_MS, RENEW_MS, Map.of("failover.store.data-dir", dataDir.toString()));
    }

    /** The same on the dynamodb store and a DynamoDB lease table, against moto_server. */
    @Test
    void onDynamoDbKilledLeaderIsReplacedWithinTheLeaseAndTheNextOutageFailsOverOnce() throws Exception {
        moto = MotoServer.start();
        scenario("dynamodb", 4000, 1000, Map.of(
                "failover.store.kind", "dynamodb",
                "failover.store.dynamodb.endpoint", moto.endpoint(),
                "failover.store.dynamodb.region", MotoServer.REGION,
                "aws.accessKeyId", MotoServer.ACCESS_KEY,
                "aws.secretAccessKey", MotoServer.SECRET_KEY));
    }

    private void scenario(String kind, long leaseMs, long renewMs, Map<String, String> store) throws Exception {
        sims = Simulators.startDemo();
        Path logs = Path.of("target", "leader-failover-it", kind);
        Map<String, String> props = new HashMap<>(sims.middlewareProperties());
        props.putAll(Map.of(
                "failover.cluster.kind", kind,
                "failover.cluster.lease-ms", String.valueOf(leaseMs),
                "failover.cluster.renew-ms", String.valueOf(renewMs),
                "failover.health.quorum", "2",
                "failover.health.quorum-window-ms", "10000",
                "failover.health.interval-ms", "1000",
                "failover.health.sip-interval-ms", "1000",
                "failover.health.timeout-ms", "500",
                "failover.health.latency-threshold-ms", "300",
                "failover.health.confirm-interval-ms", "250"));
        props.putAll(Map.of("failover.dns.route53.insync-poll-ms", "100",
                "aws.accessKeyId", "it", "aws.secretAccessKey", "it", "aws.region", "us-east-1"));
        props.putAll(store);

        // One after the other, so the first is the leader the test kills (the lock has no favourite otherwise).
        MiddlewareProcess first = start("node-a", props, logs);
        await("node-a leads").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> "leader".equals(first.role()));
        MiddlewareProcess second = start("node-b", props, logs);
        MiddlewareProcess third = start("node-c", props, logs);
        await("all three answer").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> second.role() != null && third.role() != null);
        // give a would-be second leader a few renew periods to show itself
        Thread.sleep(3 * renewMs);
        assertThat(instances).extracting(MiddlewareProcess::role).as(logs()).containsExactly("leader", "follower", "follower");
        assertThat(second.status().path("cluster").path("leaderId").asText()).isEqualTo("node-a");
        assertThat(second.status().path("cluster").path("kind").asText()).isEqualTo(kind);
        // Both platforms Up everywhere: observations recorded by all three.
        await("three observers").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> second.status().path("platforms").path("genesys").path("quorum").path("observers").asInt() == 3);

        long killedAt = System.nanoTime();
        first.kill();
        await("a follower leads").atMost(Duration.ofMillis(leaseMs * 5)).pollInterval(Duration.ofMillis(50))
                .until(() -> "leader".equals(second.role()) || "leader".equals(third.role()));
        long takeoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("LeaderFailoverIT " + kind + ": new leader " + takeoverMs + " ms after SIGKILL (lease " + leaseMs
                + " ms, renew " + renewMs + " ms)");
        // the lease, the age of the last renewal when the follower looked, its look-again period, a loaded machine
        assertThat(takeoverMs).as("within the lease plus a few renew periods").isLessThan(leaseMs + 3 * renewMs + 1000);
        Thread.sleep(3 * renewMs);
        List<String> roles = List.of(second.role(), third.role());
        assertThat(roles).as(logs()).containsExactlyInAnyOrder("leader", "follower");
        MiddlewareProcess leader = "leader".equals(second.role()) ? second : third;
        MiddlewareProcess follower = leader == second ? third : second;
        await("the follower names the new leader").atMost(Duration.ofSeconds(5))
                .until(() -> leader.name().equals(follower.status().path("cluster").path("leaderId").asText()));

        // The next outage: the primary's trunk goes silent; the two survivors agree and the leader fails over.
        sims.genesysTrunk().silent();
        await("failover done").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> runs(leader).stream().anyMatch(r -> r.path("kind").asText().equals("failover")
                        && r.path("outcome").asText().equals("done")));
        JsonNode status = follower.status();
        assertThat(status.path("state").asText()).isEqualTo("FAILED_OVER");
        assertThat(status.path("platforms").path("genesys").path("quorum").path("agreeing").asInt()).isGreaterThanOrEqualTo(2);
        // A little longer: no second run from the follower's own view, nor from the leader's repeated ticks.
        Thread.sleep(3000);
        List<JsonNode> runs = runs(follower);
        assertThat(runs).as(logs()).hasSize(1);
        assertThat(runs.get(0).path("trigger").asText()).isEqualTo("automatic");
        assertThat(sims.genesys().trunkEnabled(Simulators.TRUNK_BASE_SETTINGS_ID)).isFalse();
    }

    private MiddlewareProcess start(String name, Map<String, String> props, Path logs) throws Exception {
        MiddlewareProcess p = MiddlewareProcess.start(name, props, logs);
        instances.add(p);
        return p;
    }

    private static List<JsonNode> runs(MiddlewareProcess p) {
        JsonNode r = p.getJson("/runs");
        return r == null ? List.of() : StreamSupport.stream(r.path("runs").spliterator(), false).toList();
    }

    private String logs() {
        StringBuilder b = new StringBuilder();
        instances.forEach(p -> b.append(p.logTail()).append('\n'));
        return b.toString();
    }
}
