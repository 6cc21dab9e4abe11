package dev.ccaasfailover.config;

import java.util.function.Function;

/**
 * Leader election for the active work ({@code failover.cluster.*}): which cluster service Camel's {@code master:}
 * routes use, and how long a silent leader keeps the lead.
 *
 * @param kind       none (this instance always leads), file (a lock file beside the embedded store), dynamodb (a
 *                   lease item through AWS Labs' dynamodb-lock-client), kubernetes (a coordination.k8s.io Lease)
 * @param namespace  the one lock every leader-only route shares
 * @param leaseMs    how long a leader that stopped renewing keeps the lead before a follower takes over
 * @param renewMs    how often the leader renews and a follower tries to take the lead
 * @param dynamoDbTable           the DynamoDB lease table (created on first use)
 * @param kubernetesNamespace     the Lease's namespace (null: the pod's own)
 */
public record ClusterSettings(Kind kind, String namespace, long leaseMs, long renewMs, String dynamoDbTable,
                              String kubernetesNamespace) {

    public enum Kind { NONE, FILE, DYNAMODB, KUBERNETES }

    static final String P = FailoverConfig.PREFIX + "cluster.";

    public static ClusterSettings load(Function<String, String> lookup) {
        ConfigReader r = new ConfigReader(lookup);
        Kind kind = r.oneOf(P + "kind", Kind.class);
        String namespace = r.text(P + "namespace");
        if (!namespace.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
            // one name serves as a file name, a DynamoDB key and a Kubernetes Lease name
            throw new InvalidConfigurationException(P + "namespace",
                    "'" + namespace + "' is not a lower-case DNS label; write e.g. " + P + "namespace=ccaas-failover");
        }
        long lease = r.positiveLong(P + "lease-ms");
        long renew = r.positiveLong(P + "renew-ms");
        if (renew * 2 >= lease) {
            throw new InvalidConfigurationException(P + "renew-ms", "(" + renew + ") must be below half of " + P
                    + "lease-ms (" + lease + "), or one late renewal loses the lead; write e.g. " + P + "renew-ms=" + lease / 3);
        }
        String table = r.optional(P + "dynamodb.table");
        return new ClusterSettings(kind, namespace, lease, renew,
                table != null ? table : r.text(FailoverConfig.PREFIX + "store.table-prefix") + "leases",
                r.optional(P + "kubernetes.namespace"));
    }
}
