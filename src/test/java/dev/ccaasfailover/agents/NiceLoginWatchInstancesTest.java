package dev.ccaasfailover.agents;

import dev.ccaasfailover.security.OAuthTokenSource;
import dev.ccaasfailover.simulator.NiceSimulator;
import dev.ccaasfailover.store.SqliteStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Two instances on one store (two SQLite adapters on one file, as two processes on one host) polling at once. */
class NiceLoginWatchInstancesTest {

    static final int AGENTS = 200;

    @TempDir
    Path dir;

    private static NiceAgentsClient client(NiceSimulator nice) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Clock clock = Clock.systemUTC();
        VendorHttp vh = new VendorHttp("nice", nice.apiBaseUrl(), OAuthTokenSource.passwordGrant("nice", URI.create(nice.tokenUrl()),
                nice.clientId(), nice.clientSecret(), nice.accessKeyId(), nice.accessKeySecret(), http, clock), http,
                new RequestWindow(100_000, Duration.ofMinutes(1), clock, RequestWindow.Sleeper.REAL), 3, Duration.ofSeconds(30),
                clock, RequestWindow.Sleeper.REAL);
        return new NiceAgentsClient(vh, () -> dev.ccaasfailover.testsupport.RouteEndpoints.of("nice"), 8);
    }

    private static double gauge(SimpleMeterRegistry meters, String outcome) {
        return meters.get("failover.agents.login.watch.agents").tag("outcome", outcome).gauge().value();
    }

    @Test
    void twoInstancesPollingTogetherApplyEachAgentsStateExactlyOnce() throws Exception {
        try (NiceSimulator nice = new NiceSimulator(0).start();
             SqliteStore storeA = new SqliteStore(dir, Clock.systemUTC());
             SqliteStore storeB = new SqliteStore(dir, Clock.systemUTC())) {
            nice.addTeam("10", "Team");
            List<PendingLogin> waiting = new ArrayList<>();
            for (int i = 0; i < AGENTS; i++) {
                nice.addAgent(300_000 + i, "a" + i, "a" + i + "@example.com", "10");
                waiting.add(i % 2 == 0 ? new PendingLogin(String.valueOf(300_000 + i), "a" + i, "Available", null, 0)
                        : new PendingLogin(String.valueOf(300_000 + i), "a" + i, "Unavailable", "Break", nice.unavailableCodeId("Break")));
            }
            NiceLoginWatch a = new NiceLoginWatch(storeA, client(nice), Clock.systemUTC(), 600_000, "instance-a");
            NiceLoginWatch b = new NiceLoginWatch(storeB, client(nice), Clock.systemUTC(), 600_000, "instance-b");
            DefaultExchange exchange = new DefaultExchange(new DefaultCamelContext());
            SimpleMeterRegistry metersB = new SimpleMeterRegistry();
            b.bindMetrics(metersB);
            a.start(List.of(), waiting, "run-1", false, exchange);
            assertThat(b.status().get("agentsPendingLogin")).isEqualTo(AGENTS); // shared through the store
            assertThat(gauge(metersB, "pending")).isEqualTo(AGENTS); // and so are its gauges
            assertThat(metersB.get("failover.agents.login.watch.active").gauge().value()).isEqualTo(1.0);

            IntStream.range(0, AGENTS).forEach(i -> nice.login(300_000 + i));
            nice.clearRequests();
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Void> ta = CompletableFuture.runAsync(() -> tickTogether(a, together));
            CompletableFuture<Void> tb = CompletableFuture.runAsync(() -> tickTogether(b, together));
            CompletableFuture.allOf(ta, tb).get();

            for (int i = 0; i < AGENTS; i++) {
                int id = 300_000 + i;
                assertThat(nice.count("POST", NiceSimulator.API_BASE_PATH + "/agents/" + id + "/state")).as("agent " + id).isEqualTo(1);
                assertThat(nice.agentState(id).stateName()).isEqualTo(i % 2 == 0 ? "Available" : "Unavailable");
            }
            assertThat(a.status().get("agentsApplied")).isEqualTo(AGENTS);
            assertThat(a.status().get("agentsPendingLogin")).isEqualTo(0);
            assertThat(gauge(metersB, "applied")).isEqualTo(AGENTS);
            assertThat(gauge(metersB, "pending")).isEqualTo(0);
            // both polled the same logins (in a run here each applied part of them): only the conditional claim kept them apart
            assertThat(nice.count("GET", NiceSimulator.API_BASE_PATH + "/agents/states")).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anEndedWatchHoldsNothingAndTheNextRunStartsANewOne() throws Exception {
        try (NiceSimulator nice = new NiceSimulator(0).start(); SqliteStore store = new SqliteStore(dir, Clock.systemUTC())) {
            nice.addTeam("10", "Team");
            nice.addAgent(400_001, "late", "late@example.com", "10");
            List<PendingLogin> waiting = List.of(new PendingLogin("400001", "late@example.com", "Unavailable", "Meal",
                    nice.unavailableCodeId("Meal")));
            dev.ccaasfailover.testsupport.MutableClock clock = new dev.ccaasfailover.testsupport.MutableClock(java.time.Instant.now());
            NiceLoginWatch watch = new NiceLoginWatch(store, client(nice), clock, 60_000, "instance-a");
            DefaultExchange exchange = new DefaultExchange(new DefaultCamelContext());
            watch.start(List.of(), waiting, "run-1", false, exchange);

            clock.advance(Duration.ofSeconds(61));
            watch.tick();
            assertThat(((java.util.Map<String, Object>) watch.status().get("agentsLoginWatch")).get("state")).isEqualTo("ended");
            assertThat(watch.pending().waiting()).isEmpty();
            nice.login(400_001);
            watch.tick();
            assertThat(nice.agentState(400_001).outStateId()).as("an ended watch applies nothing").isZero();

            nice.logout(400_001);
            watch.start(List.of(), waiting, "run-2", false, exchange);
            assertThat((java.util.Map<String, Object>) exchange.getMessage().getHeader("agentsLoginWatch")).containsEntry("newlyPending", 1);
            assertThat(((java.util.Map<String, Object>) watch.status().get("agentsLoginWatch")).get("state")).isEqualTo("watching");
            nice.login(400_001);
            watch.tick();
            assertThat(nice.agentState(400_001).outStateDescription()).isEqualTo("Meal");
            assertThat(watch.status().get("agentsApplied")).isEqualTo(1);
        }
    }

    private static void tickTogether(NiceLoginWatch watch, CyclicBarrier together) {
        try {
            together.await();
            watch.tick();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
