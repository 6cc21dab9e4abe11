package dev.ccaasfailover;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ccaasfailover.health.SipOptionsProber;
import dev.ccaasfailover.health.SipProbeResult;
import dev.ccaasfailover.health.SipProbeResult.Outcome;
import dev.ccaasfailover.health.SipTarget;
import dev.ccaasfailover.simulator.ReceivedRequest;
import dev.ccaasfailover.simulator.SipUas;
import dev.ccaasfailover.sip.SipTransport;
import dev.ccaasfailover.testsupport.FreePorts;
import dev.ccaasfailover.testsupport.Sipp;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Interop with an independent SIP implementation, SIPp (package sip-tester): our prober against
 * SIPp as a UAS, and SIPp as a UAC against our simulator. Fails (never skips) without sipp.
 */
class SipSippInteropTest {

    private final SipOptionsProber prober = new SipOptionsProber(Set.of(200));

    @Test
    void sippIsInstalled() {
        assertThat(Sipp.executable()).as(Sipp.INSTALL_HINT).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(value = SipTransport.class, names = {"UDP", "TCP"})
    void proberSeesSippUasAlive(SipTransport transport) throws Exception {
        int port = FreePorts.any();
        try (Sipp sipp = Sipp.start("-sf", Sipp.scenario("uas-options.xml"),
                "-i", "127.0.0.1", "-p", String.valueOf(port), "-mp", String.valueOf(FreePorts.any()),
                "-t", transport == SipTransport.UDP ? "u1" : "t1", "-m", "1", "-timeout", "15s")) {
            SipTarget target = new SipTarget("127.0.0.1", port, transport);

            // sipp needs a moment to bind: until then the port refuses, which is not a call to it.
            SipProbeResult result = prober.probe(target, Duration.ofSeconds(3));
            long giveUp = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (result.outcome() == Outcome.REFUSED && System.nanoTime() < giveUp) {
                Thread.sleep(100);
                result = prober.probe(target, Duration.ofSeconds(3));
            }

            assertThat(result.outcome()).as("%s\n%s", result.detail(), sipp.describe()).isEqualTo(Outcome.ALIVE);
            assertThat(result.statusCode()).isEqualTo(200);
            assertThat(sipp.awaitExit(15)).as(sipp.describe()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SipTransport.class, names = {"UDP", "TCP"})
    void sippUacGets200FromOurSimulator(SipTransport transport) throws Exception {
        try (SipUas uas = SipUas.start(transport, 0);
             Sipp sipp = Sipp.start("-sf", Sipp.scenario("uac-options.xml"),
                     "-i", "127.0.0.1", "-p", String.valueOf(FreePorts.any()), "-mp", String.valueOf(FreePorts.any()),
                     "-t", transport == SipTransport.UDP ? "u1" : "t1",
                     "-m", "1", "-timeout", "10s", "-timeout_error",
                     "127.0.0.1:" + uas.port())) {

            assertThat(sipp.awaitExit(15)).as("sipp exit code (0 = got its 200)\n" + sipp.describe()).isZero();
            assertThat(uas.requests()).extracting(ReceivedRequest::method).containsExactly("OPTIONS");
            assertThat(uas.requests().get(0).viaBranch()).startsWith("z9hG4bK");
        }
    }
}
