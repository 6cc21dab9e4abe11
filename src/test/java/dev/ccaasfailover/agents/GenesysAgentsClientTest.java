package dev.ccaasfailover.agents;

import dev.ccaasfailover.security.OAuthTokenSource;
import dev.ccaasfailover.simulator.GenesysSimulator;
import dev.ccaasfailover.simulator.NiceSimulator;
import dev.ccaasfailover.testsupport.AgentOrg;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Genesys client against the simulator: bulk reads only (users in pages, members per queue). */
class GenesysAgentsClientTest {

    static GenesysSimulator genesys;
    static NiceSimulator nice;

    @BeforeAll
    static void start() {
        genesys = new GenesysSimulator(0).start();
        nice = new NiceSimulator(0).start();
        AgentOrg.seed(genesys, nice, 1000);
    }

    @AfterAll
    static void stop() {
        genesys.close();
        nice.close();
    }

    static GenesysAgentsClient client() {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Clock clock = Clock.systemUTC();
        OAuthTokenSource tokens = OAuthTokenSource.clientCredentials("genesys", URI.create(genesys.tokenUrl()),
                genesys.clientId(), genesys.clientSecret(), http, clock);
        return new GenesysAgentsClient(new VendorHttp("genesys", genesys.baseUrl(), tokens, http,
                new RequestWindow(1000, Duration.ofMinutes(1), clock, RequestWindow.Sleeper.REAL), 3, Duration.ofSeconds(10),
                clock, RequestWindow.Sleeper.REAL), () -> dev.ccaasfailover.testsupport.RouteEndpoints.of("genesys"), 4);
    }

    @Test
    void everyQueueMemberIsReadPastTheFirstPageWithoutTotalsInTheAnswer() {
        genesys.addQueue("q-big", "Big queue");
        for (int i = 0; i < 105; i++) {
            genesys.addQueueMember("q-big", String.format("g-%05d", i));
        }
        genesys.clearRequests();
        Roster r = client().roster("source", List.of("q-big"));
        assertThat(r.agents().stream().filter(a -> a.queues().contains("q-big"))).hasSize(105);
        assertThat(genesys.count("GET", "/api/v2/routing/queues/q-big/members")).isEqualTo(2);
    }

    @Test
    void sourceRosterReadsUsersInPagesAndMembersPerMappedQueueNeverPerUser() {
        genesys.clearRequests();
        Roster r = client().roster("source", List.of("q-billing", "q-support", "q-sales"));
        assertThat(r.agents()).hasSize(1000);
        assertThat(r.agents().get(2).presence()).isEqualTo("Break");
        assertThat(r.agents().get(0).queues()).contains("q-billing");
        assertThat(r.queues()).containsKey("q-legacy");
        assertThat(genesys.count("GET", "/api/v2/users/g-")).isZero();
        assertThat(genesys.count("GET", "/api/v2/routing/queues/q-legacy")).isZero();
        assertThat(genesys.requests().size()).as(genesys.requests().stream().map(q -> q.path() + "?" + q.query()).toList().toString())
                .isLessThan(40);
    }
}
