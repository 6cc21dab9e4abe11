package dev.ccaasfailover.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LayerTrackerTest {

    static final Observation UP = Observation.up(9, "200 in 9 ms");
    static final Observation SLOW = Observation.degraded(212, "200 in 212 ms");
    static final Observation DOWN = Observation.down("no answer in 5000 ms");

    @Test
    void threeConsecutiveDownsMarkDownAndNotBefore() {
        LayerTracker t = new LayerTracker(3, 3);
        t.observe(UP);
        assertThat(t.observe(DOWN)).isNull();
        assertThat(t.confirming()).isTrue();
        assertThat(t.observe(DOWN)).isNull();
        LayerTracker.Change change = t.observe(DOWN);
        assertThat(change.from()).isEqualTo(HealthStatus.Up);
        assertThat(change.to()).isEqualTo(HealthStatus.Down);
        assertThat(change.cause().reason()).contains("no answer");
        assertThat(t.confirming()).isFalse();
    }

    @Test
    void downOnEveryOtherProbeNeverMarksDown() {
        LayerTracker t = new LayerTracker(3, 3);
        for (int i = 0; i < 1000; i++) {
            t.observe(i % 2 == 0 ? DOWN : UP);
            assertThat(t.status()).isNotEqualTo(HealthStatus.Down);
        }
    }

    @Test
    void recoveryNeedsUpThresholdConsecutiveUps() {
        LayerTracker t = new LayerTracker(3, 3);
        for (int i = 0; i < 3; i++) {
            t.observe(DOWN);
        }
        assertThat(t.status()).isEqualTo(HealthStatus.Down);
        t.observe(UP);
        t.observe(UP);
        t.observe(DOWN); // the streak restarts
        t.observe(UP);
        t.observe(UP);
        assertThat(t.status()).isEqualTo(HealthStatus.Down);
        LayerTracker.Change change = t.observe(UP);
        assertThat(change.to()).isEqualTo(HealthStatus.Up);
    }

    @Test
    void slowAnswerIsDegradedAtOnceAndDegradedIsNotDown() {
        LayerTracker t = new LayerTracker(3, 3);
        assertThat(t.observe(SLOW).to()).isEqualTo(HealthStatus.Degraded);
        assertThat(t.observe(UP).to()).isEqualTo(HealthStatus.Up);
    }

    @Test
    void unknownForgetsTheStreakAndIsNoEvidenceOfAnOutage() {
        LayerTracker t = new LayerTracker(3, 3);
        t.observe(DOWN);
        t.observe(DOWN);
        t.observe(Observation.unknown("401: our credentials were refused"));
        t.observe(DOWN);
        assertThat(t.status()).isEqualTo(HealthStatus.Unknown);
        assertThat(t.consecutiveDowns()).isEqualTo(1);
    }

    @Test
    void sipTimeoutIsDownNeverAlive() {
        SipProbeResult timeout = new SipProbeResult(SipProbeResult.Outcome.TIMEOUT, null, null, "no answer in 5000 ms");
        assertThat(Observation.ofSip(timeout, 150).status()).isEqualTo(HealthStatus.Down);
        SipProbeResult slow = new SipProbeResult(SipProbeResult.Outcome.ALIVE, 200, java.time.Duration.ofMillis(151), "200 OK");
        assertThat(Observation.ofSip(slow, 150).status()).isEqualTo(HealthStatus.Degraded);
        SipProbeResult busy = new SipProbeResult(SipProbeResult.Outcome.REJECTED, 503, java.time.Duration.ofMillis(5), "503 Service Unavailable");
        assertThat(Observation.ofSip(busy, 150).status()).isEqualTo(HealthStatus.Down);
    }
}
