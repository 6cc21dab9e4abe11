package dev.ccaasfailover.cluster;

import com.amazonaws.services.dynamodbv2.AcquireLockOptions;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBLockClient;
import com.amazonaws.services.dynamodbv2.AmazonDynamoDBLockClientOptions;
import com.amazonaws.services.dynamodbv2.GetLockOptions;
import com.amazonaws.services.dynamodbv2.LockItem;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code failover.cluster.kind=dynamodb}: one lease item per namespace in a DynamoDB table, through AWS Labs'
 * dynamodb-lock-client (Camel has no DynamoDB cluster service). The leader's heartbeat renews the item every
 * {@code renewMs}; a follower takes the item over once it has seen the same record version for {@code leaseMs}
 * (so a dead leader is replaced within about one lease), and a leader whose heartbeats have not landed for half
 * a lease steps down, before anyone else could take over.
 */
public class DynamoDbLeaseClusterService extends AbstractCamelClusterService<DynamoDbLeaseClusterService.View> {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbLeaseClusterService.class);
    static final String KEY = "key"; // the lock client's default partition key attribute

    private final DynamoDbClient client;
    private final String table;
    private final String memberId;
    private final long leaseMs;
    private final long renewMs;
    private AmazonDynamoDBLockClient locks;

    public DynamoDbLeaseClusterService(DynamoDbClient client, String table, String memberId, long leaseMs, long renewMs) {
        super("dynamodb-lease");
        this.client = client;
        this.table = table;
        this.memberId = memberId;
        this.leaseMs = leaseMs;
        this.renewMs = renewMs;
    }

    @Override
    protected void doStart() throws Exception {
        locks = new AmazonDynamoDBLockClient(AmazonDynamoDBLockClientOptions.builder(client, table)
                .withOwnerName(memberId)
                .withLeaseDuration(leaseMs)
                .withHeartbeatPeriod(renewMs)
                .withTimeUnit(TimeUnit.MILLISECONDS)
                .withCreateHeartbeatBackgroundThread(true)
                .build());
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (locks != null) {
            locks.close(); // releases held leases, so a clean stop hands over at once
        }
        client.close();
    }

    @Override
    protected View createView(String namespace) {
        return new View(this, namespace);
    }

    private void ensureTable() {
        if (locks.lockTableExists()) {
            return;
        }
        try {
            client.createTable(r -> r.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName(KEY).attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName(KEY).keyType(KeyType.HASH).build()));
            LOG.info("Cluster: created the DynamoDB lease table {}", table);
        } catch (ResourceInUseException e) {
            // another instance created it first
        }
        client.waiter().waitUntilTableExists(r -> r.tableName(table));
    }

    final class View extends AbstractCamelClusterView {
        private volatile LockItem lease;
        private volatile String leaderId;
        private volatile boolean running;
        private Thread worker;
        private Thread leaderWatch;

        private final CamelClusterMember self = member(memberId, true);

        View(DynamoDbLeaseClusterService service, String namespace) {
            super(service, namespace);
        }

        private CamelClusterMember member(String id, boolean local) {
            return new CamelClusterMember() {
                @Override
                public boolean isLeader() {
                    return local ? lease != null : id.equals(leaderId);
                }

                @Override
                public boolean isLocal() {
                    return local;
                }

                @Override
                public String getId() {
                    return id;
                }
            };
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            if (lease != null) {
                return Optional.of(self);
            }
            String id = leaderId;
            return id == null ? Optional.empty() : Optional.of(member(id, false));
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return self;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return getLeader().map(l -> l.isLocal() ? List.of(self) : List.of(l, self)).orElse(List.of(self));
        }

        @Override
        protected void doStart() {
            running = true;
            worker = new Thread(this::loop, "cluster-dynamodb-" + getNamespace());
            worker.setDaemon(true);
            worker.start();
            // the worker blocks in the lock client while it contends, so the leader's name is read on a thread of its own
            leaderWatch = new Thread(this::watchLeader, "cluster-dynamodb-leader-" + getNamespace());
            leaderWatch.setDaemon(true);
            leaderWatch.start();
        }

        @Override
        protected void doStop() throws InterruptedException {
            running = false;
            worker.interrupt();
            leaderWatch.interrupt();
            worker.join(2 * leaseMs + renewMs);
            leaderWatch.join(renewMs);
            LockItem held = lease;
            if (held != null) {
                lease = null;
                fireLeadershipChangedEvent(Optional.empty());
                try {
                    locks.releaseLock(held);
                } catch (RuntimeException e) {
                    LOG.warn("Cluster: lease {} not released ({}); it expires in {} ms", getNamespace(), e.toString(), leaseMs);
                }
            }
        }

        private void loop() {
            boolean tableChecked = false;
            while (running) {
                try {
                    if (!tableChecked) {
                        ensureTable();
                        tableChecked = true;
                    }
                    if (lease == null) {
                        contend();
                    } else {
                        hold();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("Cluster: DynamoDB lease {} not reachable ({}); retrying in {} ms", getNamespace(), e.toString(), renewMs);
                    if (!pause(renewMs)) {
                        return;
                    }
                }
            }
        }

        /**
         * Contends until it holds the item: taken when free, or when its holder has not renewed it for a lease.
         * One unbounded wait, not a series of bounded ones: the lock client counts the lease from the first look of
         * each wait, so a wait that ended and began again just after the leader died would take up to two leases.
         */
        private void contend() throws InterruptedException {
            Optional<LockItem> got = locks.tryAcquireLock(AcquireLockOptions.builder(getNamespace())
                    // a GetItem every quarter renew period: the takeover comes within a quarter period of the lease
                    .withRefreshPeriod(Math.max(100, renewMs / 4))
                    .withAdditionalTimeToWaitForLock(Long.MAX_VALUE / 4) // ends by the stop's interrupt
                    .withTimeUnit(TimeUnit.MILLISECONDS)
                    .withDeleteLockOnRelease(true)
                    // "about to expire" half a lease after the last heartbeat landed: more than one renew period
                    // (lease-ms > 2 renew-ms), and half a lease before any follower may take the item over
                    .withSessionMonitor(leaseMs / 2, Optional.empty())
                    .build());
            if (got.isPresent() && running) {
                lease = got.get();
                leaderId = memberId;
                LOG.info("Cluster: {} leads {} (DynamoDB lease in {})", memberId, getNamespace(), table);
                fireLeadershipChangedEvent(self);
            }
        }

        /** While following, reads who holds the item every renew period (for {@code /status}). */
        private void watchLeader() {
            while (running) {
                if (lease == null) {
                    try {
                        leaderId = locks.getLockFromDynamoDB(GetLockOptions.builder(getNamespace()).build())
                                .map(LockItem::getOwnerName).orElse(null);
                    } catch (RuntimeException e) {
                        leaderId = null; // unknown while the table cannot be read; the worker logs the outage
                    }
                }
                if (!pause(renewMs)) {
                    return;
                }
            }
        }

        /** Steps down when the heartbeats have not landed for lease - renew: before a follower may take over. */
        private void hold() {
            LockItem held = lease;
            if (held.isExpired() || held.amIAboutToExpire()) {
                lease = null;
                leaderId = null;
                LOG.warn("Cluster: {} steps down from {}: its lease was not renewed in time", memberId, getNamespace());
                fireLeadershipChangedEvent(Optional.empty());
                return;
            }
            pause(Math.max(50, renewMs / 4));
        }

        private boolean pause(long ms) {
            try {
                Thread.sleep(ms);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
