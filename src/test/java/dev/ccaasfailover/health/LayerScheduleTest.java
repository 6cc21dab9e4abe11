package dev.ccaasfailover.health;

import dev.ccaasfailover.config.FailoverConfig.HealthSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The probe schedule on a virtual clock, with the defaults of application.properties. */
class LayerScheduleTest {

    static final HealthSettings DEFAULTS = new HealthSettings(30000, 5000, 5000, 150, 3, 3, 1000, Set.of(200), 1, 60000, "t");
    /** The guide's rule: every 30 s, three consecutive Downs, no faster confirmation. */
    static final HealthSettings GUIDE = new HealthSettings(30000, 30000, 5000, 150, 3, 3, 30000, Set.of(200), 1, 60000, "t");

    static List<DetectionSimulation.Decision> hardOutageAt(HealthSettings s, double outage) {
        return new DetectionSimulation(s, t -> t < outage).run(0, outage + 300);
    }

    @Test
    void hardOutageIsConfirmedOneTimeoutPlusTwoConfirmIntervalsAfterTheFirstFailedProbe() {
        DetectionSimulation sim = new DetectionSimulation(DEFAULTS, t -> t < 59.5);
        List<DetectionSimulation.Decision> d = sim.run(0, 400);
        DetectionSimulation.Decision down = d.get(d.size() - 1);
        assertThat(down.change().to()).isEqualTo(HealthStatus.Down);
        // SIP has its own cadence: the first unanswered probe goes out within one sip-interval of the onset.
        assertThat(sim.firstFailedProbeSentAt() - 59.5).isBetween(0.0, 5.0 + DetectionSimulation.RTT_S);
        assertThat(down.atSeconds() - sim.firstFailedProbeSentAt()).isCloseTo(5 + 1 + 1 + 5, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void eachLayerKeepsItsOwnCadence() {
        Instant t0 = Instant.EPOCH;
        LayerSchedule sip = new LayerSchedule(DEFAULTS, Layer.SIP, t0);
        LayerSchedule api = new LayerSchedule(DEFAULTS, Layer.API, t0);
        for (LayerSchedule s : List.of(sip, api)) {
            s.launched(t0);
            s.completed(t0, t0.plusMillis(10), Observation.up(10, "answered"));
        }
        assertThat(sip.nextDue()).isEqualTo(t0.plusMillis(10 + 5000));
        assertThat(api.nextDue()).isEqualTo(t0.plusMillis(10 + 30000));
    }

    @Test
    void aLostOptionsDatagramIsRetransmittedAndNeverCountsAsDown() {
        // Every datagram sent in [100, 100.4) s is lost: the probe sent then is answered by its retransmission at +0.5 s.
        for (double start = 90; start < 110; start += 0.1) {
            double lossStart = start;
            DetectionSimulation sim = new DetectionSimulation(DEFAULTS, t -> t < lossStart || t >= lossStart + 0.4);
            assertThat(sim.run(0, 200)).as("loss at %.1f s", lossStart).noneMatch(x -> x.change().to() == HealthStatus.Down);
            assertThat(sim.firstFailedProbeSentAt()).as("loss at %.1f s", lossStart).isNaN();
        }
    }

    @Test
    void theGuidesScheduleNeedsTwoMoreIntervals() {
        List<DetectionSimulation.Decision> d = hardOutageAt(GUIDE, 59.5);
        DetectionSimulation.Decision down = d.get(d.size() - 1);
        assertThat(down.change().to()).isEqualTo(HealthStatus.Down);
        assertThat(down.atSeconds() - 60.01).isGreaterThan(60);
    }

    @Test
    void lateTimeoutOfAnOvertakenProbeCannotUndoANewerAnswer() {
        LayerSchedule s = new LayerSchedule(DEFAULTS, Layer.SIP, Instant.EPOCH);
        Instant t0 = Instant.EPOCH;
        s.launched(t0);
        s.completed(t0, t0.plusSeconds(5), Observation.down("no answer")); // first Down: confirming
        s.launched(t0.plusSeconds(6));
        s.launched(t0.plusSeconds(7));
        assertThat(s.completed(t0.plusSeconds(7), t0.plusMillis(7010), Observation.up(10, "answered")).stale()).isFalse();
        assertThat(s.tracker().consecutiveDowns()).isZero();
        assertThat(s.completed(t0.plusSeconds(6), t0.plusSeconds(11), Observation.down("no answer")).stale()).isTrue();
        assertThat(s.tracker().consecutiveDowns()).isZero();
    }

    @Test
    void aTenSecondLossBurstNeverConfirmsADown() {
        for (double start = 0; start < 30; start += 0.25) {
            double burstStart = 120 + start;
            List<DetectionSimulation.Decision> d = new DetectionSimulation(DEFAULTS,
                    t -> t < burstStart || t >= burstStart + 10).run(0, 400);
            assertThat(d).as("burst at %.2f s", burstStart).noneMatch(x -> x.change().to() == HealthStatus.Down);
        }
    }

    @Test
    void twoTenSecondBurstsOneTimeoutApartNeverConfirmADown() {
        // Once the network answers again for one time-out, every probe sent in the first burst has finished: its
        // Downs cannot add to the second burst's.
        for (double start = 0; start < 30; start += 0.25) {
            double a = 120 + start;
            double b = a + 10 + 5;
            List<DetectionSimulation.Decision> d = new DetectionSimulation(DEFAULTS,
                    t -> t < a || (t >= a + 10 && t < b) || t >= b + 10).run(0, 400);
            assertThat(d).as("bursts at %.2f s and %.2f s", a, b).noneMatch(x -> x.change().to() == HealthStatus.Down);
        }
    }
}
