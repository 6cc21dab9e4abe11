package dev.ccaasfailover.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreFactoryTest {

    @TempDir
    Path dataDir;

    @Test
    void embeddedOpensSqliteInTheDataDirectory() {
        try (Store store = StoreFactory.open("embedded", dataDir, null, null, null, 1, Clock.systemUTC())) {
            assertThat(store).isInstanceOf(SqliteStore.class);
            assertThat(store.describe()).contains(dataDir.toAbsolutePath().resolve("ccaas-failover.db").toString());
        }
    }

    @Test
    void dynamodbOpensDynamoDbWithTheGivenRegionEndpointAndPrefix() {
        // Building the client makes no call, so no credentials or server are needed to check the wiring.
        try (Store store = StoreFactory.open("dynamodb", dataDir, "eu-west-1", "http://127.0.0.1:4566", "ccaas-", 16,
                Clock.systemUTC())) {
            assertThat(store).isInstanceOf(DynamoDbStore.class);
            assertThat(store.describe())
                    .isEqualTo("DynamoDB in eu-west-1 (endpoint http://127.0.0.1:4566), tables ccaas-*");
        }
    }

    @Test
    void dynamodbWithoutAnEndpointUsesAwsDefault() {
        try (Store store = StoreFactory.open("dynamodb", dataDir, "us-east-1", "", "ccaas-", 16, Clock.systemUTC())) {
            assertThat(store.describe()).isEqualTo("DynamoDB in us-east-1 (endpoint default), tables ccaas-*");
        }
    }

    @Test
    void anUnknownKindIsRejectedWithTheChoices() {
        assertThatThrownBy(() -> StoreFactory.open("postgres", dataDir, null, null, null, 1, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failover.store.kind: unknown store 'postgres'; write embedded or dynamodb");
    }
}
