package dev.ccaasfailover.health;

import dev.ccaasfailover.config.FailoverConfig.HealthSettings;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.config.PlatformSettings;
import dev.ccaasfailover.sip.SipTransport;
import dev.ccaasfailover.simulator.SipFault;
import dev.ccaasfailover.simulator.SipUas;
import dev.ccaasfailover.store.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The health loop against a real SIP peer (the simulator's UAS over UDP), on short real-time settings. */
class HealthMonitorTest {

    static final HealthSettings FAST = new HealthSettings(400, 400, 300, 150, 3, 3, 100, Set.of(200), 1, 60000, "test");

    @TempDir
    Path dir;
    SipUas trunk;
    SqliteStore store;
    HealthMonitor monitor;
    HealthBoard board;
    final List<PlatformEvent> events = Collections.synchronizedList(new ArrayList<>());
    final List<ProbeReport> reports = Collections.synchronizedList(new ArrayList<>());
    volatile boolean ticking = true;
    Thread ticker;

    @BeforeEach
    void start() throws Exception {
        trunk = SipUas.start(SipTransport.UDP, 0);
        store = new SqliteStore(dir, Clock.systemUTC());
        board = new HealthBoard(configWithSip(trunk.uri()), Clock.systemUTC());
        SipOptionsProber prober = new SipOptionsProber();
        SipTarget target = SipTarget.parse(trunk.uri());
        Map<Platform, Map<Layer, HealthMonitor.LayerProbe>> probes = new EnumMap<>(Platform.class);
        probes.put(Platform.GENESYS, Map.of(Layer.SIP, t -> Observation.ofSip(prober.probe(target, t), FAST.latencyThresholdMs())));
        monitor = new HealthMonitor(FAST, board, Clock.systemUTC(), probes, new QuorumGate(store, "test", 1, 60000, Clock.systemUTC()));
        monitor.addListener(reports::add);
        ticker = new Thread(() -> {
            while (ticking) {
                events.addAll(monitor.tick());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        ticker.start();
    }

    static dev.ccaasfailover.config.FailoverConfig configWithSip(String sipUri) {
        Map<String, String> props = Map.of("failover.platform.genesys.sip-uri", sipUri);
        return dev.ccaasfailover.config.FailoverConfig.load(props::get);
    }

    @AfterEach
    void stop() throws Exception {
        ticking = false;
        ticker.join();
        monitor.close();
        trunk.close();
        store.close();
    }

    HealthStatus sip() {
        return board.layer(Platform.GENESYS, Layer.SIP).status();
    }

    @Test
    void answeringTrunkIsUpWithRtt() {
        await().atMost(Duration.ofSeconds(5)).until(() -> sip() == HealthStatus.Up);
        LayerState s = board.layer(Platform.GENESYS, Layer.SIP);
        assertThat(s.rttMs()).isNotNull();
        assertThat(s.rttEwmaMs()).isNotNull();
        assertThat(board.platformStatus(Platform.GENESYS)).isEqualTo(HealthStatus.Up);
    }

    @Test
    void slowAnswerIsDegraded() {
        trunk.delay(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> sip() == HealthStatus.Degraded);
        assertThat(board.platformStatus(Platform.GENESYS)).isEqualTo(HealthStatus.Degraded);
        assertThat(events).isEmpty();
    }

    @Test
    void silentTrunkIsConfirmedDownByFastReprobesAndReportedOnce() {
        await().atMost(Duration.ofSeconds(5)).until(() -> sip() == HealthStatus.Up);
        trunk.silent();
        await().atMost(Duration.ofSeconds(5)).until(() -> !events.isEmpty());
        assertThat(sip()).isEqualTo(HealthStatus.Down);
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(PlatformEvent.Kind.DOWN);
            assertThat(e.platform()).isEqualTo(Platform.GENESYS);
            assertThat(e.reason()).contains("sip Down after 3 consecutive checks").contains("no final response");
        });
        // The confirmation probes came confirm-interval apart, not interval apart.
        List<ProbeReport> downs = reports.stream().filter(r -> r.observation().status() == HealthStatus.Down).toList();
        assertThat(downs).hasSizeGreaterThanOrEqualTo(3);
        Duration firstToThird = Duration.between(downs.get(0).at(), downs.get(2).at());
        assertThat(firstToThird).isLessThan(Duration.ofMillis(2 * (FAST.timeoutMs() + FAST.intervalMs())));
    }

    @Test
    void serviceUnavailableIsDown() {
        trunk.respond(503);
        await().atMost(Duration.ofSeconds(5)).until(() -> sip() == HealthStatus.Down);
        assertThat(board.layer(Platform.GENESYS, Layer.SIP).reason()).contains("503");
    }

    @Test
    void closedPortIsDown() {
        trunk.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> sip() == HealthStatus.Down);
    }

    @Test
    void downOnEveryOtherProbeNeverMarksDown() {
        trunk.setFaultFunction(i -> i % 2 == 0 ? SipFault.silent() : SipFault.answer());
        await().atMost(Duration.ofSeconds(10)).until(() -> trunk.count() >= 12);
        assertThat(events).isEmpty();
        assertThat(reports).noneMatch(r -> r.layerStatus() == HealthStatus.Down);
    }

    @Test
    void recoveryNeedsUpThresholdAnswersThenReportsRecovered() {
        trunk.silent();
        await().atMost(Duration.ofSeconds(5)).until(() -> sip() == HealthStatus.Down);
        trunk.answer();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(e -> e.kind() == PlatformEvent.Kind.RECOVERED));
        List<ProbeReport> seen = new ArrayList<>(reports);
        int recoveredAt = 0;
        int lastDown = 0;
        for (int i = 0; i < seen.size(); i++) {
            if (seen.get(i).observation().status() == HealthStatus.Down) {
                lastDown = i;
            }
            if (seen.get(i).platformEvent() != null && seen.get(i).platformEvent().kind() == PlatformEvent.Kind.RECOVERED) {
                recoveredAt = i;
            }
        }
        assertThat(recoveredAt - lastDown).as("Up answers between the last Down and the recovery").isEqualTo(FAST.upThreshold());
        assertThat(sip()).isEqualTo(HealthStatus.Up);
    }

    @Test
    void theSipLayerKeepsItsOwnCadenceWhileTheApiKeepsItsBudget() throws Exception {
        // API every minute, SIP every 100 ms: many OPTIONS go out before the API's second GET is due.
        HealthSettings cadence = new HealthSettings(60000, 100, 300, 150, 3, 3, 100, Set.of(200), 1, 60000, "test");
        try (SipUas ownTrunk = SipUas.start(SipTransport.UDP, 0);
             dev.ccaasfailover.simulator.GenesysSimulator genesys = new dev.ccaasfailover.simulator.GenesysSimulator(0)) {
            genesys.start();
            genesys.setCredentials("client", "secret");
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            ApiLivenessProber api = new ApiLivenessProber(java.net.URI.create(genesys.baseUrl() + "/api/v2/organizations/me"),
                    dev.ccaasfailover.security.OAuthTokenSource.clientCredentials("genesys", java.net.URI.create(genesys.tokenUrl()),
                            "client", "secret", http, Clock.systemUTC()), http);
            SipOptionsProber prober = new SipOptionsProber();
            SipTarget target = SipTarget.parse(ownTrunk.uri());
            Map<Platform, Map<Layer, HealthMonitor.LayerProbe>> probes = new EnumMap<>(Platform.class);
            probes.put(Platform.GENESYS, Map.of(
                    Layer.SIP, t -> Observation.ofSip(prober.probe(target, t), cadence.latencyThresholdMs()),
                    Layer.API, api::probe));
            HealthBoard both = new HealthBoard(configWithSip(ownTrunk.uri()), Clock.systemUTC());
            try (HealthMonitor m = new HealthMonitor(cadence, both, Clock.systemUTC(), probes,
                    new QuorumGate(store, "test", 1, 60000, Clock.systemUTC()))) {
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    m.tick();
                    return ownTrunk.count() >= 5;
                });
                assertThat(genesys.count("GET", "/api/v2/organizations/me")).isEqualTo(1);
                assertThat(both.layer(Platform.GENESYS, Layer.API).status()).isEqualTo(HealthStatus.Up);
            }
        }
    }
}
