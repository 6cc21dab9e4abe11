package dev.ccaasfailover.simulator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import static dev.ccaasfailover.simulator.SimulatorHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The shared fault, recording and rate-limit machinery, exercised through the Genesys simulator. */
class SimulatorFaultsTest {

    private static final String ORG = "/api/v2/organizations/me";

    private GenesysSimulator sim;
    private SimulatorHttp http;
    private String token;

    @BeforeEach
    void start() throws Exception {
        sim = new GenesysSimulator(0).start();
        http = new SimulatorHttp(sim.baseUrl(), Duration.ofSeconds(1));
        token = SimulatorHttp.genesysToken(sim);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private HttpResponse<String> org() throws Exception {
        return http.get(ORG, token);
    }

    @Test
    void refuseClosesTheListeningSocketAndReopensTheSamePort() throws Exception {
        int port = sim.port();
        sim.setFault(Fault.refuse());
        assertThatThrownBy(this::org).isInstanceOf(ConnectException.class);
        sim.clearFault();
        assertThat(sim.port()).isEqualTo(port);
        assertThat(new SimulatorHttp(sim.baseUrl()).get(ORG, token).statusCode()).isEqualTo(200);
    }

    @Test
    void refuseForADurationRestoresItself() throws Exception {
        sim.setFault(Fault.refuse().forMillis(200));
        assertThatThrownBy(this::org).isInstanceOf(ConnectException.class);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> new SimulatorHttp(sim.baseUrl()).get(ORG, token).statusCode() == 200);
    }

    @Test
    void hangHoldsTheRequestUntilTheClientTimesOut() throws Exception {
        sim.setFault(Fault.hang());
        long started = System.nanoTime();
        assertThatThrownBy(() -> http.send(http.request(ORG).timeout(Duration.ofMillis(300))
                .header("Authorization", "Bearer " + token).GET()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        sim.clearFault();
        assertThat(org().statusCode()).isEqualTo(200);
    }

    @Test
    void hangIsReleasedWhenTheFaultClears() throws Exception {
        sim.setFault(Fault.hang());
        var pending = new SimulatorHttp(sim.baseUrl()).sendAsync(ORG, token);
        await().atMost(Duration.ofSeconds(2)).until(() -> sim.count("GET", ORG) == 1);
        assertThat(pending).isNotDone();
        sim.clearFault();
        assertThat(pending.get().statusCode()).isEqualTo(200);
    }

    @Test
    void slowAnswersNormallyAfterTheDelay() throws Exception {
        sim.setFault(Fault.slow(300));
        long started = System.nanoTime();
        assertThat(org().statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void errorAnswersTheStatusWithAJsonBody() throws Exception {
        sim.setFault(Fault.error(503));
        HttpResponse<String> response = org();
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(json(response).path("status").asInt()).isEqualTo(503);
    }

    @Test
    void rateLimitAnswersGenesysNormalised429() throws Exception {
        sim.setFault(Fault.rateLimit(7));
        HttpResponse<String> response = org();
        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(json(response).path("code").asText()).isEqualTo("too.many.requests.retry.after");
        assertThat(json(response).path("message").asText()).contains("[7] seconds");
    }

    @Test
    void timesClearsTheFaultAutomatically() throws Exception {
        sim.setFault(Fault.error(500).times(2));
        assertThat(org().statusCode()).isEqualTo(500);
        assertThat(org().statusCode()).isEqualTo(500);
        assertThat(org().statusCode()).isEqualTo(200);
        assertThat(sim.fault().mode()).isEqualTo(Fault.Mode.NONE);
    }

    @Test
    void pathPrefixLimitsTheFault() throws Exception {
        sim.setFault(Fault.error(502).onPath("/api/v2/users"));
        assertThat(org().statusCode()).isEqualTo(200);
        assertThat(http.get("/api/v2/users", token).statusCode()).isEqualTo(502);
    }

    @Test
    void adminEndpointSetsFaultsAndIsNeitherRecordedNorFaulted() throws Exception {
        sim.clearRequests();
        HttpResponse<String> set = http.send(http.request("/__sim/fault").POST(HttpRequest.BodyPublishers.ofString(
                "{\"mode\":\"rateLimit\",\"retryAfterSeconds\":3,\"pathPrefix\":\"/api/v2/organizations\",\"times\":1}")));
        assertThat(set.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> sim.fault().mode() == Fault.Mode.RATE_LIMIT);
        assertThat(sim.fault()).isEqualTo(new Fault(Fault.Mode.RATE_LIMIT, 0, 429, 3, "/api/v2/organizations", 1));
        assertThat(http.get("/__sim/fault", null).statusCode()).isEqualTo(200);
        assertThat(org().statusCode()).isEqualTo(429);
        assertThat(org().statusCode()).isEqualTo(200);
        assertThat(sim.requests()).extracting(RecordedRequest::path).containsExactly(ORG, ORG);
    }

    @Test
    void adminRefuseIsAppliedAfterTheAnswer() throws Exception {
        HttpResponse<String> set = http.send(http.request("/__sim/fault").POST(HttpRequest.BodyPublishers.ofString(
                "{\"mode\":\"refuse\",\"delayMs\":300}")));
        assertThat(set.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(2)).until(() -> sim.fault().mode() == Fault.Mode.REFUSE);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> new SimulatorHttp(sim.baseUrl()).get(ORG, token).statusCode() == 200);
    }

    @Test
    void requestsAreRecordedWithHeadersAndBody() throws Exception {
        org();
        http.sendJson("PUT", "/api/v2/telephony/providers/edges/trunkbasesettings/x", token, "{\"version\":1}");
        assertThat(sim.count("POST", "/oauth/token")).isEqualTo(1);
        assertThat(sim.count("GET", "/api/v2/")).isEqualTo(1);
        assertThat(sim.count(null, "/api/v2/")).isEqualTo(2);
        RecordedRequest put = sim.requests().get(2);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.body()).isEqualTo("{\"version\":1}");
        assertThat(put.header("authorization")).isEqualTo("Bearer " + token);
        assertThat(put.at()).isNotNull();
        sim.clearRequests();
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void rateLimiterAnswers429BeyondTheLimitPerMinute() throws Exception {
        sim.setRateLimitPerMinute(3);
        assertThat(org().statusCode()).isEqualTo(200);
        assertThat(org().statusCode()).isEqualTo(200);
        assertThat(org().statusCode()).isEqualTo(200);
        HttpResponse<String> limited = org();
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 60);
        sim.setRateLimitPerMinute(0);
        assertThat(org().statusCode()).isEqualTo(200);
    }
}
