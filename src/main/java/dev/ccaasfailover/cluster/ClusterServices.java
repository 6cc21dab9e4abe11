package dev.ccaasfailover.cluster;

import dev.ccaasfailover.config.ClusterSettings;
import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.InvalidConfigurationException;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The cluster service that {@code failover.cluster.kind} names, configured from the lease and renew times. */
public final class ClusterServices {

    private ClusterServices() {
    }

    public static CamelClusterService create(ClusterSettings c, FailoverConfig.StoreSettings store, String instanceId) {
        return switch (c.kind()) {
            case NONE -> new SingleInstanceClusterService(instanceId);
            case FILE -> {
                if (store.kind() != FailoverConfig.StoreKind.EMBEDDED) {
                    throw new InvalidConfigurationException("failover.cluster.kind",
                            "file locks only instances that share a folder; with failover.store.kind=dynamodb write dynamodb (or kubernetes)");
                }
                yield file(store.dataDir().resolve("cluster").toString(), c.leaseMs(), c.renewMs());
            }
            case DYNAMODB -> {
                DynamoDbClientBuilder b = DynamoDbClient.builder().region(Region.of(store.dynamoDbRegion()))
                        .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(1)))
                        // a lease call must fail well within one renew period, so the leader can step down in time
                        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD)
                                .apiCallTimeout(Duration.ofMillis(Math.max(500, c.renewMs()))));
                if (store.dynamoDbEndpoint() != null) {
                    b.endpointOverride(store.dynamoDbEndpoint());
                }
                yield new DynamoDbLeaseClusterService(b.build(), c.dynamoDbTable(), instanceId, c.leaseMs(), c.renewMs());
            }
            case KUBERNETES -> kubernetes(c, instanceId);
        };
    }

    /**
     * Camel's file lock beside the SQLite file: the OS lock is released when the holder dies, and a leader whose
     * heartbeat file has not changed for the lease is taken over (the heartbeat guards network file systems, whose
     * locks may outlive the holder).
     */
    static FileLockClusterService file(String root, long leaseMs, long renewMs) {
        FileLockClusterService s = new FileLockClusterService();
        s.setId("file-lock");
        s.setRoot(root);
        s.setAcquireLockDelay(renewMs, TimeUnit.MILLISECONDS);
        s.setAcquireLockInterval(renewMs, TimeUnit.MILLISECONDS);
        s.setHeartbeatTimeoutMultiplier((int) Math.max(2, leaseMs / renewMs));
        return s;
    }

    /** A coordination.k8s.io Lease named {@code leaders-<namespace>} (RBAC in deploy/kubernetes.yaml). */
    static KubernetesClusterService kubernetes(ClusterSettings c, String instanceId) {
        KubernetesClusterService s = new KubernetesClusterService();
        s.setId("kubernetes-lease");
        s.setPodName(instanceId);
        if (c.kubernetesNamespace() != null) {
            s.setKubernetesNamespace(c.kubernetesNamespace());
        }
        s.setLeaseDurationMillis(c.leaseMs());
        s.setRenewDeadlineMillis(c.leaseMs() - c.renewMs());
        s.setRetryPeriodMillis(c.renewMs());
        return s;
    }
}
