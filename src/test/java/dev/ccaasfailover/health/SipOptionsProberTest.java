package dev.ccaasfailover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccaasfailover.health.SipProbeResult.Outcome;
import dev.ccaasfailover.simulator.SipFault;
import dev.ccaasfailover.simulator.ReceivedRequest;
import dev.ccaasfailover.simulator.SimulatorTls;
import dev.ccaasfailover.simulator.SipUas;
import dev.ccaasfailover.sip.SipTransport;
import dev.ccaasfailover.testsupport.FreePorts;
import dev.ccaasfailover.testsupport.RawUdpResponder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The prober against real sockets: the simulator on UDP, TCP and TLS, and a raw UDP peer. */
class SipOptionsProberTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);

    private final SipOptionsProber prober = new SipOptionsProber(Set.of(200), SimulatorTls.clientContext());

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void answeringTrunkIsAlive(SipTransport transport) throws Exception {
        try (SipUas uas = SipUas.start(transport, 0)) {
            SipProbeResult result = prober.probe(SipTarget.parse(uas.uri()), TIMEOUT);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.ALIVE);
            assertThat(result.isAlive()).isTrue();
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(result.rtt()).isPositive().isLessThan(Duration.ofMillis(500));
            assertThat(uas.requests()).hasSize(1);
            ReceivedRequest request = uas.requests().get(0);
            assertThat(request.method()).isEqualTo("OPTIONS");
            assertThat(request.cseqMethod()).isEqualTo("OPTIONS");
            assertThat(request.viaBranch()).startsWith("z9hG4bK");
            assertThat(request.transport()).isEqualTo(transport);
        }
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void slowTrunkIsAliveWithItsDelayInTheRtt(SipTransport transport) throws Exception {
        try (SipUas uas = SipUas.start(transport, 0)) {
            uas.delay(300);

            SipProbeResult result = prober.probe(SipTarget.parse(uas.uri()), TIMEOUT);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.ALIVE);
            assertThat(result.rtt()).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(TIMEOUT);
            assertThat(uas.count()).as("no retransmission before T1 = 500 ms").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void silentTrunkTimesOutAfterTheTimeout(SipTransport transport) throws Exception {
        try (SipUas uas = SipUas.start(transport, 0)) {
            uas.silent();

            long start = System.nanoTime();
            SipProbeResult result = prober.probe(SipTarget.parse(uas.uri()), TIMEOUT);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.statusCode()).as("never a made-up 408").isNull();
            assertThat(result.rtt()).isNull();
            assertThat(elapsed).isBetween(TIMEOUT.minusMillis(20), TIMEOUT.plusMillis(700));
            if (transport == SipTransport.UDP) {
                // Timer E: sends at 0, 0.5 s and 1.5 s (the last one races the 1.5 s deadline).
                assertThat(uas.count()).isBetween(2, 3);
                assertThat(uas.requests().stream().map(ReceivedRequest::viaBranch).distinct()).hasSize(1);
            } else {
                assertThat(uas.count()).as("no retransmission on a reliable transport").isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void serviceUnavailableIsRejected(SipTransport transport) throws Exception {
        try (SipUas uas = SipUas.start(transport, 0)) {
            uas.respond(503);

            SipProbeResult result = prober.probe(SipTarget.parse(uas.uri()), TIMEOUT);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.REJECTED);
            assertThat(result.statusCode()).isEqualTo(503);
            assertThat(result.rtt()).isNotNull();
            assertThat(result.detail()).contains("503 Service Unavailable");
        }
    }

    /**
     * TCP/TLS: connection refused. UDP: Linux reports the ICMP port unreachable on the connected
     * socket (REFUSED); an OS or firewall that swallows ICMP leaves only TIMEOUT, also accepted.
     */
    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void closedPortIsRefused(SipTransport transport) {
        SipTarget target = new SipTarget("127.0.0.1", FreePorts.any(), transport);

        SipProbeResult result = prober.probe(target, TIMEOUT);

        if (transport == SipTransport.UDP) {
            assertThat(result.outcome()).as(result.detail()).isIn(Outcome.REFUSED, Outcome.TIMEOUT);
        } else {
            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.REFUSED);
        }
        assertThat(result.isAlive()).isFalse();
    }

    @Test
    void udpRetransmitsWithTheSameBranchWhenTheFirstDatagramIsLost() throws Exception {
        try (SipUas uas = SipUas.start(SipTransport.UDP, 0)) {
            uas.setFaultSequence(List.of(SipFault.silent(), SipFault.answer()));

            SipProbeResult result = prober.probe(SipTarget.parse(uas.uri()), TIMEOUT);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.ALIVE);
            List<ReceivedRequest> requests = uas.requests();
            assertThat(requests).hasSize(2);
            assertThat(requests.get(1).viaBranch()).isEqualTo(requests.get(0).viaBranch());
            assertThat(requests.get(1).callId()).isEqualTo(requests.get(0).callId());
            assertThat(requests.get(1).cseq()).isEqualTo(requests.get(0).cseq());
            Duration gap = Duration.between(requests.get(0).arrival(), requests.get(1).arrival());
            assertThat(gap).as("T1").isBetween(Duration.ofMillis(450), Duration.ofMillis(700));
            assertThat(result.rtt()).as("RTT counts from the first send").isGreaterThanOrEqualTo(Duration.ofMillis(450));
        }
    }

    @Test
    void reorderedAnswersCountForTheirOwnTransactionOnly() throws Exception {
        try (SipUas uas = SipUas.start(SipTransport.UDP, 0)) {
            // The first datagram's answer is held back 800 ms, so the retransmission's answer overtakes it; the late
            // one then arrives while the next probe runs, and must not count for it.
            uas.setFaultSequence(List.of(SipFault.delay(800), SipFault.answer()));

            SipProbeResult first = prober.probe(SipTarget.parse(uas.uri()), TIMEOUT);
            SipProbeResult second = prober.probe(SipTarget.parse(uas.uri()), TIMEOUT);

            assertThat(first.outcome()).as(first.detail()).isEqualTo(Outcome.ALIVE);
            assertThat(first.rtt()).as("answered by the retransmission at T1").isBetween(Duration.ofMillis(450), Duration.ofMillis(800));
            assertThat(second.outcome()).as(second.detail()).isEqualTo(Outcome.ALIVE);
            assertThat(second.rtt()).as("its own answer, not the first probe's late one").isLessThan(Duration.ofMillis(300));
            List<ReceivedRequest> requests = uas.requests();
            assertThat(requests).hasSize(3);
            assertThat(requests.get(2).viaBranch()).isNotEqualTo(requests.get(0).viaBranch());
            assertThat(requests.get(2).callId()).isNotEqualTo(requests.get(0).callId());
        }
    }

    @Test
    void responsesWithAForeignBranchOrCSeqAreIgnored() throws Exception {
        try (RawUdpResponder peer = new RawUdpResponder(request -> List.of(
                request.response(503, "Wrong Branch", "z9hG4bKsomeoneelse", request.cseq() + " OPTIONS"),
                request.response(503, "Wrong CSeq Number", request.branch(), (request.cseq() + 1) + " OPTIONS"),
                request.response(503, "Wrong CSeq Method", request.branch(), request.cseq() + " INVITE"),
                "this is not SIP\r\n\r\n",
                request.response(100, "Trying"),
                request.response(200, "OK")))) {

            SipProbeResult result = prober.probe(SipTarget.parse(peer.uri()), TIMEOUT);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.ALIVE);
            assertThat(result.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void onlyMismatchedResponsesMeanTimeout() throws Exception {
        try (RawUdpResponder peer = new RawUdpResponder(request -> List.of(
                request.response(200, "OK", "z9hG4bKsomeoneelse", request.cseq() + " OPTIONS"),
                request.response(200, "OK", request.branch(), (request.cseq() + 7) + " OPTIONS")))) {

            SipProbeResult result = prober.probe(SipTarget.parse(peer.uri()), TIMEOUT);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.TIMEOUT);
            assertThat(peer.received()).hasSizeGreaterThanOrEqualTo(2); // it kept retransmitting
        }
    }

    @Test
    void provisionalResponseKeepsTheProbeWaitingForTheFinalOne() throws Exception {
        try (RawUdpResponder peer = new RawUdpResponder(request -> {
            if (request.index() == 0) {
                return List.of(request.response(100, "Trying"));
            }
            return List.of(request.response(486, "Busy Here")); // answers the retransmission
        })) {
            SipProbeResult result = prober.probe(SipTarget.parse(peer.uri()), TIMEOUT);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.REJECTED);
            assertThat(result.statusCode()).isEqualTo(486);
        }
    }

    @Test
    void theRequestCarriesWhatRfc3261AndKamailioPracticeAskFor() throws Exception {
        try (RawUdpResponder peer = new RawUdpResponder(request -> List.of(request.response(200, "OK")))) {
            prober.probe(SipTarget.parse(peer.uri()), TIMEOUT);
            prober.probe(SipTarget.parse(peer.uri()), TIMEOUT);

            RawUdpResponder.Request first = peer.received().get(0);
            RawUdpResponder.Request second = peer.received().get(1);
            assertThat(first.text()).startsWith("OPTIONS sip:127.0.0.1:");
            assertThat(first.branch()).startsWith("z9hG4bK");
            assertThat(first.header("Via")).startsWith("SIP/2.0/UDP 127.0.0.1:").contains(";rport");
            assertThat(first.header("Max-Forwards")).isEqualTo("70");
            assertThat(first.header("CSeq")).matches("\\d+ OPTIONS");
            assertThat(first.header("From")).contains(";tag=");
            assertThat(first.header("To")).doesNotContain("tag=");
            assertThat(first.header("Contact")).startsWith("<sip:ccaas-failover@127.0.0.1:");
            assertThat(first.header("Accept")).isEqualTo("application/sdp");
            assertThat(first.header("User-Agent")).isEqualTo("ccaas-failover");
            assertThat(first.header("Content-Length")).isEqualTo("0");
            assertThat(second.branch()).isNotEqualTo(first.branch());
            assertThat(second.header("Call-ID")).isNotEqualTo(first.header("Call-ID"));
            assertThat(second.header("From")).isNotEqualTo(first.header("From"));
        }
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void configuredAliveCodesDecide(SipTransport transport) throws Exception {
        SipOptionsProber lenient = new SipOptionsProber(Set.of(200, 404), SimulatorTls.clientContext());
        try (SipUas uas = SipUas.start(transport, 0)) {
            uas.respond(404);

            assertThat(lenient.probe(SipTarget.parse(uas.uri()), TIMEOUT).outcome()).isEqualTo(Outcome.ALIVE);
            assertThat(prober.probe(SipTarget.parse(uas.uri()), TIMEOUT).outcome()).isEqualTo(Outcome.REJECTED);
        }
    }

    @Test
    void tlsToAnUntrustedCertificateIsAnError() throws Exception {
        SipOptionsProber production = new SipOptionsProber(); // default trust store
        try (SipUas uas = SipUas.start(SipTransport.TLS, 0)) {
            SipProbeResult result = production.probe(SipTarget.parse(uas.uri()), TIMEOUT);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.ERROR);
            assertThat(result.detail()).contains("TLS");
            assertThat(uas.count()).isZero();
        }
    }

    @Test
    void tlsVerifiesTheCertificateAgainstAHostName() throws Exception {
        // The simulator's certificate carries SAN DNS:localhost besides IP:127.0.0.1.
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.net.InetAddress.getByName("localhost").getHostAddress().equals("127.0.0.1"),
                "localhost does not resolve to 127.0.0.1 here");
        try (SipUas uas = SipUas.start(SipTransport.TLS, 0)) {
            SipProbeResult result = prober.probe(SipTarget.parse("sips:localhost:" + uas.port()), TIMEOUT);

            assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.ALIVE);
        }
    }

    @Test
    void unknownHostIsAnError() {
        SipProbeResult result = prober.probe(SipTarget.parse("sip:no-such-host.invalid:5060"), TIMEOUT);

        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.detail()).contains("unknown host");
    }

    @ParameterizedTest
    @EnumSource(SipTransport.class)
    void concurrentProbesAreIndependentTransactions(SipTransport transport) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (SipUas uas = SipUas.start(transport, 0)) {
            uas.delay(50);
            List<Future<SipProbeResult>> futures = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                futures.add(pool.submit(() -> prober.probe(SipTarget.parse(uas.uri()), TIMEOUT)));
            }
            for (Future<SipProbeResult> future : futures) {
                SipProbeResult result = future.get();
                assertThat(result.outcome()).as(result.detail()).isEqualTo(Outcome.ALIVE);
            }
            Set<String> branches = uas.requests().stream().map(ReceivedRequest::viaBranch).collect(Collectors.toSet());
            assertThat(branches).hasSize(32);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void rejectsNonsenseConfiguration() {
        assertThatThrownBy(() -> new SipOptionsProber(Set.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SipOptionsProber(Set.of(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100");
        assertThatThrownBy(() -> prober.probe(SipTarget.parse("sip:127.0.0.1"), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
