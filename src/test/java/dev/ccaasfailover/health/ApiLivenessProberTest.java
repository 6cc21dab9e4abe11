package dev.ccaasfailover.health;

import dev.ccaasfailover.security.OAuthTokenSource;
import dev.ccaasfailover.simulator.Fault;
import dev.ccaasfailover.simulator.GenesysSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** API liveness against the Genesys simulator: a real OAuth exchange and a real authenticated GET. */
class ApiLivenessProberTest {

    static final Duration TIMEOUT = Duration.ofMillis(800);
    GenesysSimulator genesys;
    ApiLivenessProber prober;
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    @BeforeEach
    void start() {
        genesys = new GenesysSimulator(0).start();
        genesys.setCredentials("client", "secret");
        prober = proberWith("client", "secret");
    }

    ApiLivenessProber proberWith(String id, String secret) {
        OAuthTokenSource tokens = OAuthTokenSource.clientCredentials("genesys", URI.create(genesys.tokenUrl()), id, secret, http, Clock.systemUTC());
        return new ApiLivenessProber(URI.create(genesys.baseUrl() + "/api/v2/organizations/me"), tokens, http);
    }

    @AfterEach
    void stop() {
        genesys.close();
    }

    @Test
    void authenticatedOrganizationsMeIsUpAndTheTokenIsReused() {
        assertThat(prober.probe(TIMEOUT).status()).isEqualTo(HealthStatus.Up);
        assertThat(prober.probe(TIMEOUT).status()).isEqualTo(HealthStatus.Up);
        assertThat(genesys.count("POST", "/oauth/token")).isEqualTo(1);
        assertThat(genesys.count("GET", "/api/v2/organizations/me")).isEqualTo(2);
    }

    @Test
    void tokenIsRefreshedWhenItExpires() {
        genesys.setTokenLifetimeSeconds(1);
        assertThat(prober.probe(TIMEOUT).status()).isEqualTo(HealthStatus.Up);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(prober.probe(TIMEOUT).status()).isEqualTo(HealthStatus.Up);
            assertThat(genesys.count("POST", "/oauth/token")).isGreaterThanOrEqualTo(2);
        });
    }

    @Test
    void revokedTokenIsReplacedWithinTheSameProbe() {
        assertThat(prober.probe(TIMEOUT).status()).isEqualTo(HealthStatus.Up);
        genesys.revokeTokens();
        assertThat(prober.probe(TIMEOUT).status()).isEqualTo(HealthStatus.Up);
        assertThat(genesys.count("POST", "/oauth/token")).isEqualTo(2);
    }

    @Test
    void serverErrorIsDown() {
        prober.probe(TIMEOUT);
        genesys.setFault(Fault.error(503).onPath("/api/v2/organizations"));
        Observation o = prober.probe(TIMEOUT);
        assertThat(o.status()).isEqualTo(HealthStatus.Down);
        assertThat(o.reason()).contains("503");
    }

    @Test
    void hangingApiIsDownAfterTheTimeout() {
        prober.probe(TIMEOUT);
        genesys.setFault(Fault.hang().onPath("/api/v2/organizations"));
        long start = System.nanoTime();
        Observation o = prober.probe(TIMEOUT);
        assertThat(o.status()).isEqualTo(HealthStatus.Down);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50));
        genesys.clearFault();
    }

    @Test
    void refusedConnectionIsDown() {
        prober.probe(TIMEOUT);
        genesys.setFault(Fault.refuse());
        assertThat(prober.probe(TIMEOUT).status()).isEqualTo(HealthStatus.Down);
        genesys.clearFault();
    }

    @Test
    void rateLimitedAnswerIsUp() {
        prober.probe(TIMEOUT);
        genesys.setFault(Fault.rateLimit(3).onPath("/api/v2/organizations"));
        assertThat(prober.probe(TIMEOUT).status()).isEqualTo(HealthStatus.Up);
    }

    @Test
    void refusedCredentialsAreUnknownNeverDown() {
        Observation o = proberWith("client", "wrong").probe(TIMEOUT);
        assertThat(o.status()).isEqualTo(HealthStatus.Unknown);
        assertThat(o.reason()).contains("client id and secret");
    }
}
