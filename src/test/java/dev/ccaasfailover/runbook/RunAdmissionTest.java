package dev.ccaasfailover.runbook;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RunAdmissionTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    static ControlPlaneState state(ControlPlaneState.Phase phase, String lastEnd) {
        return new ControlPlaneState(phase, "genesys", "run-1", "failover", 3, null, lastEnd);
    }

    @Test
    void failoverStartsFromNormal() {
        assertThat(RunAdmission.decide(new ControlPlaneState(ControlPlaneState.Phase.NORMAL, "genesys"), null,
                RunKind.FAILOVER, true, false, NOW, 600000).allowed()).isTrue();
    }

    @Test
    void aSecondFailoverWhileOneRunsIsRefused() {
        RunAdmission.Verdict v = RunAdmission.decide(state(ControlPlaneState.Phase.FAILING_OVER, null), "running",
                RunKind.FAILOVER, false, true, NOW, 0);
        assertThat(v.allowed()).isFalse();
        assertThat(v.reason()).contains("in progress");
    }

    @Test
    void failoverWhenAlreadyFailedOverIsRefusedAndFailbackFromNormalToo() {
        assertThat(RunAdmission.decide(state(ControlPlaneState.Phase.FAILED_OVER, null), "done", RunKind.FAILOVER, false, false, NOW, 0)
                .reason()).contains("already FAILED_OVER");
        assertThat(RunAdmission.decide(state(ControlPlaneState.Phase.NORMAL, null), "done", RunKind.FAILBACK, false, false, NOW, 0)
                .reason()).contains("already NORMAL");
    }

    @Test
    void aFailedRunCanBeRerunOrRolledBackByAnOperator() {
        ControlPlaneState stuck = state(ControlPlaneState.Phase.FAILING_OVER, null);
        assertThat(RunAdmission.decide(stuck, "failed", RunKind.FAILOVER, false, false, NOW, 0).allowed()).isTrue();
        assertThat(RunAdmission.decide(stuck, "failed", RunKind.FAILBACK, false, false, NOW, 0).allowed()).isTrue();
    }

    @Test
    void theLockoutBlocksAutomaticRunsAndManualRunsWithoutForce() {
        ControlPlaneState s = state(ControlPlaneState.Phase.FAILED_OVER, "2026-01-01T11:59:00.000Z");
        assertThat(RunAdmission.decide(s, "done", RunKind.FAILBACK, true, true, NOW, 600000).allowed()).isFalse();
        RunAdmission.Verdict manual = RunAdmission.decide(s, "done", RunKind.FAILBACK, false, false, NOW, 600000);
        assertThat(manual.allowed()).isFalse();
        assertThat(manual.reason()).contains("until 2026-01-01T12:09:00.000Z").contains("force=true");
        RunAdmission.Verdict forced = RunAdmission.decide(s, "done", RunKind.FAILBACK, false, true, NOW, 600000);
        assertThat(forced.allowed()).isTrue();
        assertThat(forced.lockoutOverridden()).isTrue();
    }

    @Test
    void afterTheLockoutAnAutomaticRunIsAllowedAgain() {
        ControlPlaneState s = state(ControlPlaneState.Phase.FAILED_OVER, "2026-01-01T11:49:59.999Z");
        RunAdmission.Verdict v = RunAdmission.decide(s, "done", RunKind.FAILBACK, true, false, NOW, 600000);
        assertThat(v.allowed()).isTrue();
        assertThat(v.lockoutOverridden()).isFalse();
    }
}
