package dev.ccaasfailover.runbook;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunAdmissionTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    static ControlPlaneState state(ControlPlaneState.Phase phase, String lastEnd) {
        return new ControlPlaneState(phase, "genesys", "run-1", "failover", 3, null, lastEnd, null);
    }

    @Test
    void failoverStartsFromNormal() {
        assertThat(RunAdmission.decide(new ControlPlaneState(ControlPlaneState.Phase.NORMAL, "genesys"), null,
                RunKind.FAILOVER, true, false, NOW, 600000, 0).allowed()).isTrue();
    }

    @Test
    void aSecondFailoverWhileOneRunsIsRefused() {
        RunAdmission.Verdict v = RunAdmission.decide(state(ControlPlaneState.Phase.FAILING_OVER, null), "running",
                RunKind.FAILOVER, false, true, NOW, 0, 0);
        assertThat(v.allowed()).isFalse();
        assertThat(v.reason()).contains("in progress");
    }

    @Test
    void failoverWhenAlreadyFailedOverIsRefusedAndFailbackFromNormalToo() {
        assertThat(RunAdmission.decide(state(ControlPlaneState.Phase.FAILED_OVER, null), "done", RunKind.FAILOVER, false, false, NOW, 0, 0)
                .reason()).contains("already FAILED_OVER");
        assertThat(RunAdmission.decide(state(ControlPlaneState.Phase.NORMAL, null), "done", RunKind.FAILBACK, false, false, NOW, 0, 0)
                .reason()).contains("already NORMAL");
    }

    @Test
    void aFailedRunCanBeRerunOrRolledBackByAnOperator() {
        ControlPlaneState stuck = state(ControlPlaneState.Phase.FAILING_OVER, null);
        assertThat(RunAdmission.decide(stuck, "failed", RunKind.FAILOVER, false, false, NOW, 0, 0).allowed()).isTrue();
        assertThat(RunAdmission.decide(stuck, "failed", RunKind.FAILBACK, false, false, NOW, 0, 0).allowed()).isTrue();
    }

    @Test
    void theLockoutBlocksAutomaticRunsAndManualRunsWithoutForce() {
        ControlPlaneState s = state(ControlPlaneState.Phase.FAILED_OVER, "2026-01-01T11:59:00.000Z");
        assertThat(RunAdmission.decide(s, "done", RunKind.FAILBACK, true, true, NOW, 600000, 0).allowed()).isFalse();
        RunAdmission.Verdict manual = RunAdmission.decide(s, "done", RunKind.FAILBACK, false, false, NOW, 600000, 0);
        assertThat(manual.allowed()).isFalse();
        assertThat(manual.reason()).contains("until 2026-01-01T12:09:00.000Z").contains("force=true");
        RunAdmission.Verdict forced = RunAdmission.decide(s, "done", RunKind.FAILBACK, false, true, NOW, 600000, 0);
        assertThat(forced.allowed()).isTrue();
        assertThat(forced.lockoutOverridden()).isTrue();
    }

    @Test
    void afterTheLockoutAnAutomaticRunIsAllowedAgain() {
        ControlPlaneState s = state(ControlPlaneState.Phase.FAILED_OVER, "2026-01-01T11:49:59.999Z");
        RunAdmission.Verdict v = RunAdmission.decide(s, "done", RunKind.FAILBACK, true, false, NOW, 600000, 0);
        assertThat(v.allowed()).isTrue();
        assertThat(v.lockoutOverridden()).isFalse();
    }

    static ControlPlaneState lastForced(ControlPlaneState.Phase phase, String lastEnd, String lastForcedAt) {
        return new ControlPlaneState(phase, "genesys", "run-1", "failover", 3, null, lastEnd, lastForcedAt);
    }

    @Test
    void aForcedRunWithinTheIntervalOfTheLastForcedRunIsRefusedWithTheTimeItMayStart() {
        ControlPlaneState s = lastForced(ControlPlaneState.Phase.FAILED_OVER, "2026-01-01T11:59:50.000Z", "2026-01-01T11:59:30.000Z");
        RunAdmission.Verdict v = RunAdmission.decide(s, "done", RunKind.FAILBACK, false, true, NOW, 600000, 60000);
        assertThat(v.allowed()).isFalse();
        assertThat(v.retryAt()).isEqualTo(Instant.parse("2026-01-01T12:00:30Z"));
        assertThat(v.reason()).contains("force=true").contains("2026-01-01T12:00:30.000Z").contains("force-min-interval-ms");
        // without force the lockout answers, as before (409, not a retry time)
        RunAdmission.Verdict unforced = RunAdmission.decide(s, "done", RunKind.FAILBACK, false, false, NOW, 600000, 60000);
        assertThat(unforced.allowed()).isFalse();
        assertThat(unforced.retryAt()).isNull();
    }

    @Test
    void aForcedRunPassesOnceTheIntervalHasGoneByOrWhenTheLimitIsOff() {
        ControlPlaneState s = lastForced(ControlPlaneState.Phase.FAILED_OVER, "2026-01-01T11:59:50.000Z", "2026-01-01T11:59:00.000Z");
        RunAdmission.Verdict atTheLimit = RunAdmission.decide(s, "done", RunKind.FAILBACK, false, true, NOW, 600000, 60000);
        assertThat(atTheLimit.allowed()).isTrue();
        assertThat(atTheLimit.lockoutOverridden()).isTrue();
        ControlPlaneState recent = lastForced(ControlPlaneState.Phase.FAILED_OVER, null, "2026-01-01T11:59:59.000Z");
        assertThat(RunAdmission.decide(recent, "done", RunKind.FAILBACK, false, true, NOW, 600000, 0).allowed()).isTrue();
    }

    @Test
    void anAutomaticRunIsNotBoundByTheForcedRunInterval() {
        ControlPlaneState s = lastForced(ControlPlaneState.Phase.NORMAL, null, "2026-01-01T11:59:59.000Z");
        assertThat(RunAdmission.decide(s, "done", RunKind.FAILOVER, true, false, NOW, 600000, 60000).allowed()).isTrue();
    }
}
