package dev.ccaasfailover.runbook;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.HealthBoard;
import dev.ccaasfailover.store.SqliteStore;
import dev.ccaasfailover.testsupport.LogCapture;
import dev.ccaasfailover.testsupport.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Run leases on a virtual clock: two instances (two RunClaims with their own names) on one SQLite store. The owner's
 * renewals keep a run; only an expired lease is taken over; the former owner is fenced out at its next step.
 */
class RunLeaseTest {

    static final long LEASE = 15_000;

    @TempDir
    Path dir;
    SqliteStore store;
    RunJournal journal;
    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    FailoverConfig config;
    RunClaim a;
    RunClaim b;
    Runbook runbookB;

    @BeforeEach
    void open() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("application.properties"))) {
            p.load(r);
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k).startsWith("{{env:") ? "" : p.getProperty(k)));
        m.put("failover.runbook.lockout-ms", "0");
        config = FailoverConfig.load(m::get);
        store = new SqliteStore(dir, clock);
        journal = new RunJournal(store);
        a = new RunClaim(config, new ControlPlane(store, Platform.GENESYS), journal, clock, "instance-a", LEASE);
        b = new RunClaim(config, new ControlPlane(store, Platform.GENESYS), journal, clock, "instance-b", LEASE);
        runbookB = new Runbook(config, b, journal, new HealthBoard(config, clock), clock);
    }

    @AfterEach
    void close() {
        store.close();
    }

    RunClaim.Ticket claimOnA() {
        RunClaim.Claim claim = a.claim(RunKind.FAILOVER, "manual", "drill", false, false);
        assertThat(claim.started()).as(String.valueOf(claim.reason())).isTrue();
        return claim.ticket();
    }

    /** B's lease poll, as its timer route calls it. */
    Map<String, Object> pollOnB() {
        return runbookB.resumeAbandoned();
    }

    @Test
    void theClaimRecordsItsOwnerAndLeaseAndTheDefaultLeaseIs15Seconds() {
        assertThat(config.runbook().leaseMs()).isEqualTo(15_000);
        claimOnA();
        ControlPlaneState cp = a.read().value();
        assertThat(cp.runOwner()).isEqualTo("instance-a");
        assertThat(cp.leaseUntil()).isEqualTo("2026-03-01T10:00:15.000Z");
    }

    @Test
    void aLiveLeaseIsNeverTakenOverAndTheOwnersRenewalsKeepItLive() {
        RunClaim.Ticket t = claimOnA();
        a.hold(t);
        for (int i = 0; i < 6; i++) { // 6 × 5 s = twice the lease, renewed every third of it
            clock.advance(Duration.ofMillis(LEASE / 3));
            a.renewHeld();
            assertThat(pollOnB().get("action")).as("poll %d", i).isEqualTo("none");
        }
        ControlPlaneState cp = a.read().value();
        assertThat(cp.runOwner()).isEqualTo("instance-a");
        assertThat(cp.epoch()).isEqualTo(t.epoch());
        assertThat(cp.leaseUntil()).isEqualTo(Times.iso(clock.instant().plusMillis(LEASE)));
        assertThat(b.takeOver(a.read(), RunKind.FAILOVER)).as("even asked directly").isEmpty();
    }

    @Test
    void aStepAttemptRenewsTheLeaseThroughTheFenceCheck() {
        RunClaim.Ticket t = claimOnA();
        clock.advance(Duration.ofMillis(LEASE - 1));
        a.checkFence(t.runId(), t.epoch());
        clock.advance(Duration.ofMillis(LEASE - 1));
        assertThat(pollOnB().get("action")).isEqualTo("none");
    }

    @Test
    void anExpiredLeaseIsTakenOverOnceWithTheNextEpochAndTheTakeoverIsLoggedWithItsReason() {
        RunClaim.Ticket t = claimOnA(); // A dies right after its claim: no renewal
        clock.advance(Duration.ofMillis(LEASE - 1));
        assertThat(pollOnB().get("action")).as("1 ms before the lease ends").isEqualTo("none");
        clock.advance(Duration.ofMillis(2));
        Map<String, Object> resumed;
        try (LogCapture logs = new LogCapture()) {
            resumed = pollOnB();
            assertThat(logs.messages()).anyMatch(l -> l.equals("Taking over run " + t.runId()
                    + " (FAILING_OVER): lease expired at 2026-03-01T10:00:15.000Z, owner instance-a"));
            assertThat(logs.messages()).anyMatch(l -> l.startsWith("Took over run " + t.runId()
                    + " (FAILING_OVER): lease expired at 2026-03-01T10:00:15.000Z, owner instance-a; epoch 1 → 2, lease of instance-b until"));
        }
        assertThat(resumed.get("action")).isEqualTo("run");
        assertThat(resumed.get("runEpoch")).isEqualTo(t.epoch() + 1);
        ControlPlaneState cp = b.read().value();
        assertThat(cp.runOwner()).isEqualTo("instance-b");
        assertThat(cp.leaseUntil()).isEqualTo(Times.iso(clock.instant().plusMillis(LEASE)));
        assertThat(pollOnB().get("action")).as("B's own lease is live now").isEqualTo("none");
    }

    @Test
    void aFormerOwnerWhoseLeaseWasTakenOverIsFencedOutAtItsNextStepAndMakesNoFurtherChange() {
        RunClaim.Ticket ta = claimOnA();
        StepRunner runnerA = new StepRunner(a, journal, new Backoff(1, 2), 3, clock);
        AtomicInteger externalCallsOfA = new AtomicInteger();
        assertThat(runnerA.run(ta, "dns", () -> {
            externalCallsOfA.incrementAndGet();
            return StepResult.done("CNAME moved");
        })).isEqualTo(StepRecord.DONE);

        // A stalls (a long GC pause, a partition): no renewal for longer than the lease; B takes the run over
        clock.advance(Duration.ofMillis(LEASE + 1));
        RunClaim.Ticket tb = b.takeOver(b.read(), RunKind.FAILOVER).orElseThrow();
        assertThat(tb.epoch()).isEqualTo(ta.epoch() + 1);

        // A wakes up: its next step stops before any attempt, its renewals and its finish are refused
        assertThat(runnerA.run(ta, "trunk", () -> {
            externalCallsOfA.incrementAndGet();
            return StepResult.done("trunk off");
        })).isEqualTo(StepRunner.FENCED);
        assertThat(externalCallsOfA).hasValue(1);
        assertThat(journal.step(ta.runId(), "trunk")).as("nothing written for the fenced step").isEmpty();
        assertThatThrownBy(() -> a.renew(ta)).isInstanceOf(FencedOutException.class).hasMessageContaining("owner instance-b");
        a.hold(ta);
        a.renewHeld();
        assertThat(a.holds(ta.runId())).as("a fenced run is no longer renewed").isFalse();
        assertThat(a.release(ta, RunKind.FAILOVER, ControlPlaneState.Phase.FAILED_OVER, "nice")).isEmpty();
        assertThat(b.read().value().runOwner()).isEqualTo("instance-b");
        assertThat(b.read().value().state()).isEqualTo(ControlPlaneState.Phase.FAILING_OVER);

        // B resumes: dns is not repeated, trunk runs once
        StepRunner runnerB = new StepRunner(b, journal, new Backoff(1, 2), 3, clock);
        AtomicInteger externalCallsOfB = new AtomicInteger();
        assertThat(runnerB.run(tb, "dns", () -> {
            externalCallsOfB.incrementAndGet();
            return StepResult.done("again");
        })).isEqualTo(StepRecord.DONE);
        assertThat(runnerB.run(tb, "trunk", () -> {
            externalCallsOfB.incrementAndGet();
            return StepResult.done("trunk off");
        })).isEqualTo(StepRecord.DONE);
        assertThat(externalCallsOfB).hasValue(1);
        assertThat(b.release(tb, RunKind.FAILOVER, ControlPlaneState.Phase.FAILED_OVER, "nice")).isPresent();
    }

    @Test
    void theOwnersFinishIsNotLostToItsOwnRenewalOnAnotherThread() {
        AtomicBoolean renewFirst = new AtomicBoolean(true);
        RunClaim[] self = new RunClaim[1];
        RunClaim.Ticket[] ticket = new RunClaim.Ticket[1];
        // the timer's renewal lands between the finish's read and its conditional write
        ControlPlane racing = new ControlPlane(store, Platform.GENESYS) {
            @Override
            public boolean compareAndSet(ControlPlaneState next, long expectedVersion) {
                if (next.leaseUntil() == null && renewFirst.getAndSet(false)) {
                    self[0].renew(ticket[0]);
                }
                return super.compareAndSet(next, expectedVersion);
            }
        };
        RunClaim owner = new RunClaim(config, racing, journal, clock, "instance-a", LEASE);
        self[0] = owner;
        ticket[0] = owner.claim(RunKind.FAILOVER, "manual", "drill", false, false).ticket();
        clock.advance(Duration.ofSeconds(3));
        ControlPlaneState done = owner.release(ticket[0], RunKind.FAILOVER, ControlPlaneState.Phase.FAILED_OVER, "nice").orElseThrow();
        assertThat(renewFirst).isFalse();
        assertThat(done.state()).isEqualTo(ControlPlaneState.Phase.FAILED_OVER);
        assertThat(done.leaseUntil()).as("no lease once the run has ended").isNull();
        assertThat(owner.read().value().state()).isEqualTo(ControlPlaneState.Phase.FAILED_OVER);
    }

    @Test
    void aRecordWrittenBeforeLeasesIsStillReadAndCountsAsLeasedForOneLeaseFromItsClaim() {
        store.putIfVersion(dev.ccaasfailover.store.StoreItem.of(ControlPlaneState.TABLE, ControlPlaneState.KEY, ControlPlaneState.SORT_KEY,
                "{\"state\":\"FAILING_OVER\",\"activePlatform\":\"genesys\",\"runId\":\"run-old\",\"runKind\":\"failover\",\"epoch\":4,"
                        + "\"updatedAt\":\"2026-03-01T09:59:50.000Z\",\"somethingNewer\":1}", null), 0);
        ControlPlaneState cp = b.read().value();
        assertThat(cp.runOwner()).isNull();
        assertThat(b.leaseExpiry(cp)).isEqualTo(Instant.parse("2026-03-01T10:00:05Z"));
        assertThat(b.leaseLive(cp)).isTrue();
        clock.advance(Duration.ofSeconds(6));
        assertThat(b.takeOver(b.read(), RunKind.FAILOVER)).map(RunClaim.Ticket::epoch).contains(5L);
    }

    @Test
    void aLeaseOutsideItsBoundsStopsStartUpNamingTheKey() {
        Map<String, String> m = new HashMap<>();
        m.put("failover.runbook.lease-ms", "100");
        assertThatThrownBy(() -> FailoverConfig.load(m::get))
                .hasMessageContaining("failover.runbook.lease-ms").hasMessageContaining("outside 300 to 600000");
    }
}
