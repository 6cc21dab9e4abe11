package dev.ccaasfailover.store;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ccaasfailover.testsupport.MotoServer;
import dev.ccaasfailover.testsupport.MotoServerExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The contract against a real moto_server; each test gets its own table prefix, so tests never share tables. */
class DynamoDbStoreContractTest extends StoreContractTest {

    private static final AtomicInteger TESTS = new AtomicInteger();
    @RegisterExtension
    static final MotoServerExtension MOTO = new MotoServerExtension();

    // A new test instance per test method, hence a new prefix per test, shared by its reopened adapters.
    private final String tablePrefix = "contract-" + TESTS.incrementAndGet() + "-";

    @Override
    protected Store openStore(Clock clock) {
        // One write at a time: moto_server fails concurrent TransactWriteItems (see client below and the README).
        return new DynamoDbStore(client(MOTO.server()), tablePrefix, 1, clock);
    }

    @Override
    protected boolean purgeExpiredDeletes() {
        return false; // DynamoDB TTL deletes server-side; see DynamoDbStore#purgeExpired
    }

    /**
     * A client for moto_server that sends one request at a time. moto evaluates a condition expression and writes
     * without a lock, so two concurrent conditional puts can both succeed there (seen in about 3 rounds in 100 with
     * 16 writers); DynamoDB itself applies a conditional write atomically per item. With one connection, the racing
     * writers still all send their conditional put from the same version, and moto sees them in turn, as DynamoDB
     * would order them.
     */
    static DynamoDbClient client(MotoServer moto) {
        return DynamoDbClient.builder()
                .region(Region.of(MotoServer.REGION))
                .endpointOverride(moto.endpointUri())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(1))
                .build();
    }
}
