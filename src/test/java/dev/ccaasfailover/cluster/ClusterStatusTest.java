package dev.ccaasfailover.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccaasfailover.config.ClusterSettings;
import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.InvalidConfigurationException;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** failover.cluster.*: the settings, the service each kind builds, and what GET /status says of this instance. */
class ClusterStatusTest {

    static ClusterSettings settings(Map<String, String> p) {
        return ClusterSettings.load(p::get);
    }

    static FailoverConfig.StoreSettings store(Map<String, String> p) {
        return FailoverConfig.load(p::get).store();
    }

    @Test
    void defaultsAreOneInstanceWithAFifteenSecondLease() {
        ClusterSettings c = settings(Map.of());
        assertThat(c.kind()).isEqualTo(ClusterSettings.Kind.NONE);
        assertThat(c.namespace()).isEqualTo("ccaas-failover");
        assertThat(c.leaseMs()).isEqualTo(15000);
        assertThat(c.renewMs()).isEqualTo(5000);
        assertThat(c.dynamoDbTable()).isEqualTo("ccaas-failover-leases");
        assertThat(ClusterServices.create(c, store(Map.of()), "me")).isInstanceOf(SingleInstanceClusterService.class);
    }

    @Test
    void badValuesStopStartUpNamingTheKey() {
        assertThatThrownBy(() -> settings(Map.of("failover.cluster.kind", "zookeeper")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("failover.cluster.kind")
                .hasMessageContaining("none, file, dynamodb, kubernetes");
        assertThatThrownBy(() -> settings(Map.of("failover.cluster.lease-ms", "4000", "failover.cluster.renew-ms", "2000")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("failover.cluster.renew-ms");
        assertThatThrownBy(() -> settings(Map.of("failover.cluster.namespace", "Not A Label")))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("failover.cluster.namespace");
        assertThatThrownBy(() -> ClusterServices.create(settings(Map.of("failover.cluster.kind", "file")),
                store(Map.of("failover.store.kind", "dynamodb")), "me"))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("with failover.store.kind=dynamodb");
    }

    @Test
    void fileLocksBesideTheSqliteFileWithTheLeaseAsHeartbeatTimeout() {
        Map<String, String> p = Map.of("failover.cluster.kind", "file", "failover.store.data-dir", "/var/lib/ccaas",
                "failover.cluster.lease-ms", "2000", "failover.cluster.renew-ms", "500");
        FileLockClusterService s = (FileLockClusterService) ClusterServices.create(settings(p), store(p), "me");
        assertThat(Path.of(s.getRoot())).isEqualTo(Path.of("/var/lib/ccaas", "cluster"));
        assertThat(s.getAcquireLockInterval()).isEqualTo(500);
        assertThat(s.getHeartbeatTimeoutMultiplier()).isEqualTo(4);
    }

    @Test
    void kubernetesHoldsALeaseAsThePodWithinTheLease() {
        Map<String, String> p = Map.of("failover.cluster.kind", "kubernetes", "failover.cluster.kubernetes.namespace", "contact-center");
        KubernetesClusterService s = (KubernetesClusterService) ClusterServices.create(settings(p), store(p), "ccaas-failover-7d9-x2");
        assertThat(s.getPodName()).isEqualTo("ccaas-failover-7d9-x2");
        assertThat(s.getKubernetesNamespace()).isEqualTo("contact-center");
        assertThat(s.getLeaseDurationMillis()).isEqualTo(15000);
        assertThat(s.getRenewDeadlineMillis()).isEqualTo(10000);
        assertThat(s.getRetryPeriodMillis()).isEqualTo(5000);
    }

    @Test
    void statusShowsThisInstancesRoleAndEachPlatformsQuorum() throws Exception {
        try (RunningMiddleware app = RunningMiddleware.start(Map.of("failover.health.instance-id", "solo"))) {
            ObjectMapper json = new ObjectMapper();
            await().until(() -> json.readTree(app.get("/status", RunningMiddleware.ADMIN_TOKEN).body())
                    .path("cluster").path("leaderId").asText("").equals("solo"));
            JsonNode s = json.readTree(app.get("/status", RunningMiddleware.ADMIN_TOKEN).body());
            assertThat(s.path("state").asText()).isEqualTo("NORMAL"); // the existing fields stay
            JsonNode c = s.path("cluster");
            assertThat(c.path("role").asText()).isEqualTo("leader");
            assertThat(c.path("kind").asText()).isEqualTo("none");
            assertThat(c.path("instanceId").asText()).isEqualTo("solo");
            JsonNode q = s.path("platforms").path("genesys").path("quorum");
            assertThat(q.path("required").asInt()).isEqualTo(1);
            assertThat(q.path("waiting").asBoolean()).isFalse();
            assertThat(q.has("lastError")).isTrue();
            assertThat(s.path("platforms").path("genesys").path("status").asText()).isEqualTo("Unknown");
        }
    }
}
