package dev.ccaasfailover.store;

import java.nio.file.Path;
import java.time.Clock;

/** Opens the store named by {@code failover.store.kind}. */
public final class StoreFactory {

    private StoreFactory() {
    }

    /**
     * @param kind        {@code embedded} (SQLite in dataDir) or {@code dynamodb}
     * @param dataDir     directory of the SQLite file; used by embedded only
     * @param region      AWS region; used by dynamodb only
     * @param endpoint    endpoint override (moto_server, a VPC endpoint) or null/blank for AWS's; dynamodb only
     * @param tablePrefix prefix of the physical DynamoDB table names; dynamodb only
     * @param writeConcurrency DynamoDB write calls in flight at once; dynamodb only
     */
    public static Store open(String kind, Path dataDir, String region, String endpoint, String tablePrefix,
                             int writeConcurrency, Clock clock) {
        return open(kind, dataDir, region, endpoint, tablePrefix, writeConcurrency, SqliteStore.DEFAULT_BUSY_TIMEOUT_MS, clock);
    }

    /** @param busyTimeoutMs how long an embedded write waits for the file's write lock; embedded only */
    public static Store open(String kind, Path dataDir, String region, String endpoint, String tablePrefix,
                             int writeConcurrency, int busyTimeoutMs, Clock clock) {
        String normalized = kind == null ? "" : kind.trim();
        return switch (normalized) {
            case "embedded" -> new SqliteStore(dataDir, clock, busyTimeoutMs);
            case "dynamodb" -> DynamoDbStore.create(region, endpoint, tablePrefix, writeConcurrency, clock);
            default -> throw new IllegalArgumentException(
                    "failover.store.kind: unknown store '" + kind + "'; write embedded or dynamodb");
        };
    }
}
