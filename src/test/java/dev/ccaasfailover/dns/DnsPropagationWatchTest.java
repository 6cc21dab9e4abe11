package dev.ccaasfailover.dns;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.testsupport.BindServer;
import dev.ccaasfailover.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The split-brain watch against real DNS servers (BIND), standing in for carriers' resolvers. */
class DnsPropagationWatchTest {

    static final String RECORD = "inbound.voiceservices.example.com";
    static final String GENESYS = "genesys-primary.trunk.example.com";
    static final String NICE = "nice-secondary.trunk.example.com";

    BindServer fresh;
    BindServer stale;
    DnsPropagationWatch watch;
    ListAppender<ILoggingEvent> logs = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        fresh = BindServer.start(RECORD, NICE);
        stale = BindServer.start(RECORD, GENESYS);
        logs.start();
        ((Logger) LoggerFactory.getLogger(DnsPropagationWatch.class)).addAppender(logs);
    }

    /** One round of the watch, as route dns-propagation-tick runs it; true, for use in await conditions. */
    boolean ticked() {
        watch.tick();
        return true;
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(DnsPropagationWatch.class)).detachAppender(logs);
        fresh.close();
        stale.close();
    }

    static FailoverConfig.DnsSettings dns(List<InetSocketAddress> resolvers, long timeoutMs) {
        return new FailoverConfig.DnsSettings(FailoverConfig.DnsProvider.ROUTE53, RECORD, 60, Map.of(Platform.GENESYS, GENESYS, Platform.NICE, NICE),
                "Z1", null, new FailoverConfig.PropagationSettings(resolvers, timeoutMs, 100), null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> resolver(Map<String, Object> status, String name) {
        return ((List<Object>) status.get("resolvers")).stream()
                .map(r -> (Map<String, Object>) dev.ccaasfailover.http.Json.MAPPER.convertValue(r, Map.class))
                .filter(r -> r.get("resolver").equals(name)).findFirst().orElseThrow();
    }

    @Test
    void resolversStillAnsweringTheOldTargetAreNamedWhenTheWatchEnds() throws Exception {
        InetSocketAddress dead = new InetSocketAddress(InetAddress.getLoopbackAddress(), FreePorts.any());
        watch = new DnsPropagationWatch(dns(List.of(fresh.address(), stale.address(), dead), 1500), Clock.systemUTC());

        watch.watch("nice", "run-1");

        await().atMost(Duration.ofSeconds(15)).until(() -> ticked() && "split".equals(watch.status().get("state")));
        Map<String, Object> status = watch.status();
        assertThat(status.get("expected")).isEqualTo(NICE);
        assertThat(resolver(status, fresh.resolverSetting())).containsEntry("state", "propagated").containsEntry("answer", NICE);
        assertThat(resolver(status, fresh.resolverSetting()).get("propagatedAt")).isNotNull();
        assertThat(resolver(status, stale.resolverSetting())).containsEntry("state", "stale").containsEntry("answer", GENESYS)
                .containsEntry("ttlSeconds", 60L);
        assertThat(resolver(status, "127.0.0.1:" + dead.getPort())).containsEntry("state", "no-answer");
        assertThat(watch.staleResolvers()).isEqualTo(2);
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .startsWith("DNS split-brain run=run-1")
                .contains("2 of 3 resolver(s) still do not answer " + NICE)
                .contains(stale.resolverSetting() + " (" + GENESYS + ")")
                .doesNotContain(fresh.resolverSetting()));
    }

    @Test
    void aResolverThatCatchesUpCompletesTheWatch() throws Exception {
        watch = new DnsPropagationWatch(dns(List.of(fresh.address(), stale.address()), 60_000), Clock.systemUTC());

        watch.watch("nice", "run-2");
        assertThat(watch.tick()).isNull(); // a round, and the watch goes on
        assertThat(watch.status().get("resolvers")).asList().hasSize(2);
        assertThat(resolver(watch.status(), stale.resolverSetting())).containsEntry("state", "stale");

        stale.answer(NICE); // the carrier's cache expires

        Map<String, Object> ended = watch.tick();
        assertThat(watch.status()).containsEntry("state", "complete");
        assertThat(resolver(watch.status(), stale.resolverSetting())).containsEntry("state", "propagated");
        assertThat(watch.staleResolvers()).isZero();
        assertThat(ended).containsEntry("state", "complete").containsEntry("runId", "run-2");
        assertThat(watch.tick()).isNull(); // ended: reported once
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().startsWith("DNS split-brain"));
    }

    @Test
    void statusAnswersWhileAResolverIsSlowToAnswer() throws Exception {
        // A resolver that answers its first question only once GET /status's picture has been taken: if status had to
        // wait for the question under way, the question would time out first and the resolver never count.
        try (java.net.DatagramSocket slow = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            watch = new DnsPropagationWatch(dns(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), slow.getLocalPort())),
                    60_000), Clock.systemUTC());
            watch.watch("nice", "run-4");
            java.util.concurrent.CompletableFuture<Map<String, Object>> round =
                    java.util.concurrent.CompletableFuture.supplyAsync(watch::tick);
            java.net.DatagramPacket question = new java.net.DatagramPacket(new byte[512], 512);
            slow.receive(question);

            Map<String, Object> during = watch.status();

            org.xbill.DNS.Message q = new org.xbill.DNS.Message(java.util.Arrays.copyOf(question.getData(), question.getLength()));
            org.xbill.DNS.Message a = new org.xbill.DNS.Message(q.getHeader().getID());
            a.getHeader().setFlag(org.xbill.DNS.Flags.QR);
            a.addRecord(q.getQuestion(), org.xbill.DNS.Section.QUESTION);
            a.addRecord(new org.xbill.DNS.CNAMERecord(org.xbill.DNS.Name.fromString(RECORD + "."), org.xbill.DNS.DClass.IN, 60,
                    org.xbill.DNS.Name.fromString(NICE + ".")), org.xbill.DNS.Section.ANSWER);
            byte[] wire = a.toWire();
            slow.send(new java.net.DatagramPacket(wire, wire.length, question.getSocketAddress()));

            assertThat(during).containsEntry("state", "watching");
            assertThat(round.get(10, java.util.concurrent.TimeUnit.SECONDS)).containsEntry("state", "complete");
        }
    }

    @Test
    void withoutResolversThereIsNothingToWatch() {
        watch = new DnsPropagationWatch(dns(List.of(), 1000), Clock.systemUTC());
        watch.watch("nice", "run-3");
        assertThat(watch.tick()).isNull();
        assertThat(watch.status()).isNull();
    }
}
