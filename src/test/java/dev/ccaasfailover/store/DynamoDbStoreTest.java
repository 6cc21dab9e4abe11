package dev.ccaasfailover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.ccaasfailover.testsupport.MotoServer;
import dev.ccaasfailover.testsupport.MotoServerExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;

/** What only the DynamoDB store promises: the physical tables it creates, and how it fails when unreachable. */
class DynamoDbStoreTest {

    @RegisterExtension
    static final MotoServerExtension MOTO = new MotoServerExtension();

    @BeforeEach
    void emptyAccount() {
        MOTO.server().reset();
    }

    @Test
    void firstUseCreatesAnOnDemandTableWithPkSkAndTtlOnExpiresAt() {
        try (DynamoDbClient admin = DynamoDbStoreContractTest.client(MOTO.server());
             Store store = new DynamoDbStore(DynamoDbStoreContractTest.client(MOTO.server()), "ccaas-", 1, Clock.systemUTC())) {
            store.putIfAbsent(StoreItem.of("events", "+15551230001", "0001", "{}", null));

            TableDescription table = admin.describeTable(r -> r.tableName("ccaas-events")).table();
            assertThat(table.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
                    .containsExactly("pk:" + KeyType.HASH, "sk:" + KeyType.RANGE);
            assertThat(table.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
            TimeToLiveDescription ttl = admin.describeTimeToLive(r -> r.tableName("ccaas-events"))
                    .timeToLiveDescription();
            assertThat(ttl.attributeName()).isEqualTo("expiresAt");
            assertThat(ttl.timeToLiveStatusAsString()).isEqualTo("ENABLED");
        }
    }

    @Test
    void anotherInstanceUsesTheTableTheFirstCreated() {
        try (Store first = new DynamoDbStore(DynamoDbStoreContractTest.client(MOTO.server()), "ccaas-", 1, Clock.systemUTC());
             Store second = new DynamoDbStore(DynamoDbStoreContractTest.client(MOTO.server()), "ccaas-", 1, Clock.systemUTC())) {
            assertThat(first.putIfAbsent(StoreItem.of("dedupe", "event-1", "-", "{}", null))).isTrue();

            assertThat(second.putIfAbsent(StoreItem.of("dedupe", "event-1", "-", "{}", null))).isFalse();
        }
    }

    @Test
    void anUnreachableDynamoDbIsUnavailableAndRefusesWrites() throws IOException {
        try (Store store = new DynamoDbStore(clientFor(closedPortEndpoint()), "ccaas-", 1, Clock.systemUTC())) {
            assertThat(store.isAvailable()).isFalse();
            assertThatThrownBy(() -> store.putIfAbsent(StoreItem.of("events", "+1555", "1", "{}", null)))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("ccaas-events");
        }
    }

    private static URI closedPortEndpoint() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    private static DynamoDbClient clientFor(URI endpoint) {
        return DynamoDbClient.builder()
                .region(Region.of(MotoServer.REGION))
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                // The SDK's retries with backoff would only make this test slow; the outcome is the same.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }
}
