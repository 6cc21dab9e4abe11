package dev.ccaasfailover.runbook;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.HealthBoard;
import dev.ccaasfailover.health.HealthStatus;
import dev.ccaasfailover.health.Layer;
import dev.ccaasfailover.health.LayerState;
import dev.ccaasfailover.store.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** The state machine's decisions, without Camel: what it saw, what it decided, and the reason it gives. */
class RunbookDecisionsTest {

    @TempDir
    Path dir;
    SqliteStore store;
    RunJournal journal;
    HealthBoard board;
    Runbook runbook;

    @BeforeEach
    void open() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(r);
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).startsWith("{{env:") ? "" : p.getProperty(k)));
        FailoverConfig config = FailoverConfig.load(m::get);
        store = new SqliteStore(dir, Clock.systemUTC());
        journal = new RunJournal(store);
        board = new HealthBoard(config, Clock.systemUTC());
        runbook = new Runbook(config, new RunClaim(config, new ControlPlane(store, Platform.GENESYS), journal, Clock.systemUTC(),
                "instance-b", config.runbook().leaseMs()), journal, board, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        store.close();
    }

    Runbook.Decision decide(Runbook.Event event, Platform platform, ControlPlaneState cp) {
        return runbook.decide(new Runbook.Trigger(event, platform, "3 consecutive Down", null, null), () -> new Versioned<>(cp, 1));
    }

    void health(Platform p, HealthStatus s) {
        for (Layer layer : Layer.values()) {
            board.update(p, layer, new LayerState(s, null, null, "test", Instant.now()));
        }
    }

    static ControlPlaneState state(ControlPlaneState.Phase phase, String runId, Instant updatedAt) {
        return new ControlPlaneState(phase, "genesys", runId, runId == null ? null : "failover", 1,
                updatedAt == null ? null : Times.iso(updatedAt), null, null);
    }

    @Test
    void thePrimaryDownWithTheSecondaryUpStartsAFailoverAndSaysWhy() {
        health(Platform.NICE, HealthStatus.Up);
        Runbook.Decision d = decide(Runbook.Event.PLATFORM_DOWN, Platform.GENESYS, state(ControlPlaneState.Phase.NORMAL, null, null));
        assertThat(d.action()).isEqualTo(Runbook.Action.RUN);
        assertThat(d.kind()).isEqualTo(RunKind.FAILOVER);
        assertThat(d.reason()).isEqualTo("primary genesys Down: 3 consecutive Down");
    }

    @Test
    void bothDownAlertsAndTheSecondaryDownOrAFailoverUnderwayChangesNothing() {
        health(Platform.NICE, HealthStatus.Down);
        ControlPlaneState normal = state(ControlPlaneState.Phase.NORMAL, null, null);
        Runbook.Decision both = decide(Runbook.Event.PLATFORM_DOWN, Platform.GENESYS, normal);
        assertThat(both.action()).isEqualTo(Runbook.Action.ALERT);
        assertThat(both.reason()).startsWith("Both platforms are Down");
        Runbook.Decision secondary = decide(Runbook.Event.PLATFORM_DOWN, Platform.NICE, normal);
        assertThat(secondary.action()).isEqualTo(Runbook.Action.NONE);
        assertThat(secondary.reason()).contains("nothing to do");
        Runbook.Decision underway = decide(Runbook.Event.PLATFORM_DOWN, Platform.GENESYS, state(ControlPlaneState.Phase.FAILED_OVER, "run-1", null));
        assertThat(underway.action()).isEqualTo(Runbook.Action.NONE);
        assertThat(underway.reason()).contains("while the state is FAILED_OVER");
    }

    static ControlPlaneState leased(Instant leaseUntil) {
        return state(ControlPlaneState.Phase.FAILING_OVER, "run-1", Instant.now().minusSeconds(60)).leased(1, "instance-a", Times.iso(leaseUntil));
    }

    @Test
    void aRunWhoseLeaseExpiredIsTakenOverSayingWhenAndFromWhomALiveOneIsLeftAndAnEndedOneWaitsForAnOperator() {
        Instant before = Instant.now().minusSeconds(60);
        journal.create(new RunRecord("run-1", "failover", "manual", "x", false, false, "genesys", "nice", RunRecord.RUNNING,
                Times.iso(before), null, null, null, Runbook.PLAN));
        Instant expiredAt = Instant.now().minusSeconds(1);
        Runbook.Decision resume = decide(Runbook.Event.LEASE_POLL, null, leased(expiredAt));
        assertThat(resume.action()).isEqualTo(Runbook.Action.RESUME);
        assertThat(resume.kind()).isEqualTo(RunKind.FAILOVER);
        assertThat(resume.reason()).isEqualTo("Taking over run run-1 (FAILING_OVER): lease expired at " + Times.iso(expiredAt)
                + ", owner instance-a");

        Runbook.Decision live = decide(Runbook.Event.LEASE_POLL, null, leased(Instant.now().plusSeconds(5)));
        assertThat(live.action()).isEqualTo(Runbook.Action.NONE);
        assertThat(live.reason()).startsWith("run run-1 is live: owner instance-a holds its lease until");
        assertThat(live.level()).as("a live run is no news").isNull();

        // a record from before leases: its claim time plus one lease
        Runbook.Decision old = decide(Runbook.Event.LEASE_POLL, null, state(ControlPlaneState.Phase.FAILING_OVER, "run-1", before));
        assertThat(old.action()).isEqualTo(Runbook.Action.RESUME);
        assertThat(old.reason()).contains("owner unrecorded");
        Runbook.Decision oldLive = decide(Runbook.Event.LEASE_POLL, null, state(ControlPlaneState.Phase.FAILING_OVER, "run-1", Instant.now()));
        assertThat(oldLive.action()).isEqualTo(Runbook.Action.NONE);

        Versioned<RunRecord> run = journal.run("run-1").orElseThrow();
        journal.update(run.value().finished(RunRecord.FAILED, Times.iso(Instant.now()), "dns", "dns: 503"), run.version());
        Runbook.Decision ended = decide(Runbook.Event.LEASE_POLL, null, leased(expiredAt));
        assertThat(ended.action()).isEqualTo(Runbook.Action.NONE);
        assertThat(ended.reason()).contains("ended failed").contains("waiting for an operator");
    }

    @Test
    void aManualRunTowardsAPlatformThatIsDownIsRefusedUnlessForced() {
        health(Platform.NICE, HealthStatus.Down);
        RunRequest plain = RunRequest.parse("failover", "{\"reason\":\"drill\",\"dryRun\":false}");
        RunRequest forced = RunRequest.parse("failover", "{\"reason\":\"drill\",\"dryRun\":false,\"force\":true}");
        ControlPlaneState normal = state(ControlPlaneState.Phase.NORMAL, null, null);
        Runbook.Decision refused = runbook.decide(new Runbook.Trigger(Runbook.Event.MANUAL, null, "drill", plain, null), () -> new Versioned<>(normal, 1));
        assertThat(refused.action()).isEqualTo(Runbook.Action.REFUSE);
        assertThat(refused.reason()).isEqualTo("the target platform nice is Down; send force=true to run anyway");
        assertThat(runbook.decide(new Runbook.Trigger(Runbook.Event.MANUAL, null, "drill", forced, null), () -> new Versioned<>(normal, 1)).action())
                .isEqualTo(Runbook.Action.RUN);
    }
}
