package dev.ccaasfailover.runbook;

import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.store.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The step runner against the journal on SQLite, without Camel: what is repeated, retried, recorded and fenced. */
class StepRunnerTest {

    static final RunClaim.Ticket RUN = new RunClaim.Ticket("run-1", 1);

    @TempDir
    Path dir;
    SqliteStore store;
    RunJournal journal;
    ControlPlane control;
    StepRunner runner;

    @BeforeEach
    void open() {
        store = new SqliteStore(dir, Clock.systemUTC());
        journal = new RunJournal(store);
        control = new ControlPlane(store, Platform.GENESYS);
        control.compareAndSet(new ControlPlaneState(ControlPlaneState.Phase.FAILING_OVER, "genesys", RUN.runId(), "failover", RUN.epoch(),
                Times.iso(Clock.systemUTC().instant()), null, null), 0);
        runner = new StepRunner(new RunClaim(null, control, journal, Clock.systemUTC(), "test", 15000), journal, new Backoff(1, 4), 3, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aStepTheJournalHoldsCompletedIsNotAttemptedAgain() {
        journal.writeStep(RUN.runId(), new StepRecord("dns", StepRecord.DONE, "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:01.000Z", "x", 1));
        AtomicInteger calls = new AtomicInteger();
        assertThat(runner.run(RUN, "dns", () -> {
            calls.incrementAndGet();
            return StepResult.done("again");
        })).isEqualTo(StepRecord.DONE);
        assertThat(calls).hasValue(0);
        assertThat(journal.step(RUN.runId(), "dns").orElseThrow().value().detail()).isEqualTo("x");
    }

    @Test
    void aFailingAttemptIsRetriedAndEveryAttemptIsCounted() {
        AtomicInteger calls = new AtomicInteger();
        assertThat(runner.run(RUN, "trunk", () -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("503");
            }
            return StepResult.done("switched off");
        })).isEqualTo(StepRecord.DONE);
        StepRecord trunk = journal.step(RUN.runId(), "trunk").orElseThrow().value();
        assertThat(trunk.attempts()).isEqualTo(3);
        assertThat(trunk.detail()).isEqualTo("switched off");
    }

    @Test
    void theLastFailedAttemptEndsTheStepFailedWithTheReason() {
        assertThat(runner.run(RUN, "dns", () -> {
            throw new IllegalStateException("Route 53 503");
        })).isEqualTo(StepRecord.FAILED);
        StepRecord dns = journal.step(RUN.runId(), "dns").orElseThrow().value();
        assertThat(dns.attempts()).isEqualTo(3);
        assertThat(dns.detail()).isEqualTo("failed after 3 attempts: IllegalStateException: Route 53 503");
    }

    @Test
    void aFailureThatIsNotRetryableEndsTheStepAtOnce() {
        assertThat(runner.run(RUN, "trunk", () -> {
            throw StepFailedException.notSupported("not supported for platform nice");
        })).isEqualTo(StepRecord.FAILED);
        StepRecord trunk = journal.step(RUN.runId(), "trunk").orElseThrow().value();
        assertThat(trunk.attempts()).isEqualTo(1);
        assertThat(trunk.detail()).isEqualTo("not retried: not supported for platform nice");
    }

    @Test
    void aRunWhoseEpochIsNoLongerCurrentIsFencedAndWritesNothing() {
        Versioned<ControlPlaneState> v = control.read();
        ControlPlaneState cp = v.value();
        control.compareAndSet(new ControlPlaneState(cp.state(), cp.activePlatform(), cp.runId(), cp.runKind(), cp.epoch() + 1,
                cp.updatedAt(), null, null), v.version()); // another instance took the run over
        assertThat(runner.run(RUN, "dns", () -> StepResult.done("x"))).isEqualTo(StepRunner.FENCED);
        assertThat(journal.step(RUN.runId(), "dns")).isEmpty();
    }
}
