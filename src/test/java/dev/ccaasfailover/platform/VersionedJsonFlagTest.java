package dev.ccaasfailover.platform;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.runbook.StepFailedException;
import dev.ccaasfailover.security.OAuthTokenSource;
import dev.ccaasfailover.simulator.GenesysSimulator;
import dev.ccaasfailover.simulator.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The trunk switch against the Genesys simulator, with the route file's path, read query and fields. */
class VersionedJsonFlagTest {

    static final String PATH = "/api/v2/telephony/providers/edges/trunkbasesettings/{id}";
    static final String READ = "?ignoreHidden=true";
    static final String FIELDS = "id,name,description,version,trunkMetabase,properties,trunkType,managed,inboundSite";
    static final String FLAG = "/properties/trunk_enabled/value/instance";

    GenesysSimulator sim;
    VersionedJsonFlag trunks;

    @BeforeEach
    void start() {
        sim = new GenesysSimulator(0).start();
        sim.addTrunkBaseSettings("tbs-1", "Carrier", true);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        OAuthTokenSource tokens = OAuthTokenSource.clientCredentials("genesys", URI.create(sim.tokenUrl()), sim.clientId(),
                sim.clientSecret(), http, Clock.systemUTC());
        trunks = new VersionedJsonFlag("genesys", URI.create(sim.baseUrl()), List.of("tbs-1"), tokens, http, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {409, 408, 400})
    void aStaleVersionAnsweredAnyOfTheThreeWaysIsReReadAndRetried(int staleAnswer) throws Exception {
        sim.setStaleVersionAnswer(staleAnswer);
        sim.concurrentEditAfterReads("tbs-1", 1); // an admin saves right after our first read
        String done = trunks.set(PATH, READ, FIELDS, FLAG, false);
        assertThat(done).contains("tbs-1 set to false");
        assertThat(sim.trunkEnabled("tbs-1")).isFalse();
        assertThat(sim.count("PUT", "/api/v2/telephony")).isEqualTo(2);
        assertThat(trunks.read(PATH, READ, FLAG)).containsEntry("tbs-1", false);
    }

    @Test
    void aVersionThatStaysStaleEndsInARetryableFailureAfterABoundedNumberOfReReads() {
        sim.concurrentEditAfterEveryRead("tbs-1");
        assertThatThrownBy(() -> trunks.set(PATH, READ, FIELDS, FLAG, false))
                .isInstanceOf(StepFailedException.class).hasMessageContaining("still stale after 5 re-reads")
                .satisfies(e -> assertThat(((StepFailedException) e).retryable()).isTrue());
        assertThat(sim.count("PUT", "/api/v2/telephony")).isEqualTo(6);
        assertThat(sim.trunkEnabled("tbs-1")).isTrue();
    }

    @Test
    void readsWithIgnoreHiddenAndPutsBackOnlyTheFieldsTheTerraformProviderWrites() throws Exception {
        trunks.set(PATH, READ, FIELDS, FLAG, false);
        List<RecordedRequest> gets = new ArrayList<>();
        List<RecordedRequest> puts = new ArrayList<>();
        sim.requests().forEach(r -> (r.method().equals("GET") ? gets : puts).add(r));
        puts.removeIf(r -> !r.method().equals("PUT"));
        assertThat(gets).isNotEmpty().allSatisfy(r -> assertThat(r.query()).isEqualTo("ignoreHidden=true"));
        assertThat(puts).hasSize(1);
        assertThat(puts.get(0).query()).isNull();
        JsonNode body = Json.MAPPER.readTree(puts.get(0).body());
        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyInAnyOrder("id", "name", "version", "trunkMetabase", "properties", "trunkType",
                "managed", "inboundSite");
        assertThat(body.at("/properties/trunk_label/value/instance").asText()).as("the other properties kept").isEqualTo("Carrier");
        assertThat(body.path("version").asInt()).isEqualTo(1);
    }
}
