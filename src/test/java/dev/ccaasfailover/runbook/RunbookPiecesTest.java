package dev.ccaasfailover.runbook;

import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.store.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runbook's small parts, without Camel: backoff, request parsing, step checks, the journal on SQLite. */
class RunbookPiecesTest {

    @Test
    void backoffDoublesFromTheInitialDelayAndNeverExceedsTheBound() {
        Backoff b = new Backoff(100, 1000);
        assertThat(List.of(b.delayAfter(1), b.delayAfter(2), b.delayAfter(3), b.delayAfter(4), b.delayAfter(5), b.delayAfter(60)))
                .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    }

    @Test
    void aRequestNeedsAReasonAndRefusesUnknownOrMistypedFields() {
        RunRequest r = RunRequest.parse("failover", "{\"reason\":\"drill\",\"dryRun\":true}");
        assertThat(r.kind()).isEqualTo(RunKind.FAILOVER);
        assertThat(r.dryRun()).isTrue();
        assertThat(r.force()).isFalse();
        assertThatThrownBy(() -> RunRequest.parse("failover", "{\"reason\":\"x\",\"dryrun\":true}"))
                .isInstanceOf(ApiException.class).hasMessageStartingWith("dryrun: unknown field");
        assertThatThrownBy(() -> RunRequest.parse("failover", "{\"reason\":\"x\",\"dryRun\":false,\"force\":1}")).hasMessageStartingWith("force:");
        assertThatThrownBy(() -> RunRequest.parse("failback", "{}")).hasMessageStartingWith("reason: required");
        assertThatThrownBy(() -> RunRequest.parse("failback", "[1]")).hasMessageStartingWith("body:");
        assertThatThrownBy(() -> RunRequest.parse("failback", "{oops")).hasMessageStartingWith("body: not valid JSON");
    }

    @Test
    void aBodyThatIsNotUtf8IsRefusedNotReadWithReplacementCharacters() {
        byte[] body = {'{', '"', 'r', 'e', 'a', 's', 'o', 'n', '"', ':', '"', (byte) 0xC3, '(', '"', ',', '"', 'd', 'r', 'y',
                'R', 'u', 'n', '"', ':', 't', 'r', 'u', 'e', '}'};
        assertThatThrownBy(() -> RunRequest.parse("failover", body)).isInstanceOf(ApiException.class)
                .hasMessageStartingWith("body: not valid JSON");
        byte[] surrogate = "{\"reason\":\"x?\",\"dryRun\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] cesu = new byte[surrogate.length + 2];
        System.arraycopy(surrogate, 0, cesu, 0, 12);
        cesu[12] = (byte) 0xED;
        cesu[13] = (byte) 0xA0;
        cesu[14] = (byte) 0x80;
        System.arraycopy(surrogate, 13, cesu, 15, surrogate.length - 13);
        assertThatThrownBy(() -> RunRequest.parse("failover", cesu)).isInstanceOf(ApiException.class)
                .hasMessageStartingWith("body: not valid JSON (not UTF-8");
        cesu[12] = (byte) 0xC0;
        cesu[13] = (byte) 0xAF; // an overlong '/'
        cesu[14] = 'x';
        assertThatThrownBy(() -> RunRequest.parse("failover", cesu)).isInstanceOf(ApiException.class)
                .hasMessageStartingWith("body: not valid JSON (not UTF-8");
    }

    @Test
    void dryRunMustBeWrittenOutAsABooleanSoNothingThatLooksLikeADryRunIsARealRun() {
        for (String dryRun : List.of("", ",\"dryRun\":null", ",\"dryRun\":\"false\"", ",\"dryRun\":\"true\"", ",\"dryRun\":0",
                ",\"dryRun\":1", ",\"dryRun\":[]", ",\"dryRun\":{}")) {
            String body = "{\"reason\":\"x\",\"force\":true" + dryRun + "}";
            assertThatThrownBy(() -> RunRequest.parse("failover", body)).as(body).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.field()).isEqualTo("dryRun");
            });
        }
        assertThat(RunRequest.parse("failback", "{\"reason\":\"x\",\"dryRun\":false}").dryRun()).isFalse();
        assertThat(RunRequest.parse("failback", "{\"reason\":\"x\",\"dryRun\":false,\"force\":true}").force()).isTrue();
        assertThatThrownBy(() -> RunRequest.parse("failover", "{\"reason\":\"x\",\"dryRun\":true,\"force\":null}"))
                .hasMessageStartingWith("force:");
    }

    @Test
    void aRepeatedKeyOrDataAfterTheBodyIsRefusedWhicheverCopyWouldWin() {
        for (String body : List.of("{\"reason\":\"x\",\"force\":true,\"dryRun\":true,\"dryRun\":false}",
                "{\"reason\":\"x\",\"dryRun\":false,\"dryRun\":true}", "{\"reason\":\"x\",\"reason\":\"y\",\"dryRun\":true}",
                "{\"reason\":\"x\",\"dryRun\":true}{\"reason\":\"x\",\"dryRun\":false}", "{\"reason\":\"x\",\"dryRun\":true} false",
                "{\"reason\":\"x\",\"dryRun\":true}}")) {
            assertThatThrownBy(() -> RunRequest.parse("failover", body)).as(body).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.field()).isEqualTo("body");
            });
        }
    }

    @Test
    void aTrunkStepHoldsOnlyWhenEveryTrunkIsInTheWantedState() {
        StepChecks checks = new StepChecks(false);
        assertThat(checks.trunkState(Map.of("a", false, "b", false), false).holds()).isTrue();
        StepState mixed = checks.trunkState(new java.util.TreeMap<>(Map.of("a", false, "b", true)), false);
        assertThat(mixed.holds()).isFalse();
        assertThat(mixed.current()).isEqualTo("a=disabled, b=enabled");
    }

    @Test
    void anActionThatDoesNotVerifyFailsTheAttempt() {
        StepChecks checks = new StepChecks(false);
        assertThatThrownBy(() -> checks.verified(new StepState("dns", "old", "new", false, null), "UPSERT"))
                .isInstanceOf(StepFailedException.class).hasMessageContaining("not verified");
        assertThat(checks.verified(new StepState("dns", "new", "new", true, null), "UPSERT").outcome()).isEqualTo("done");
    }

    @Test
    void agentSyncIsNeverJournaledDoneUnlessItSaysSo() {
        StepChecks checks = new StepChecks(false);
        assertThat(checks.fromAgentSync(Map.of("outcome", "skipped", "detail", "agents not moved: API not configured")).outcome()).isEqualTo("skipped");
        assertThatThrownBy(() -> checks.fromAgentSync(Map.of("outcome", "failed", "detail", "2 failed"))).isInstanceOf(StepFailedException.class);
        assertThat(checks.fromAgentSync(Map.of("outcome", "done", "detail", "6 agents")).outcome()).isEqualTo("done");
        assertThatThrownBy(() -> checks.fromAgentSync("ok")).isInstanceOf(StepFailedException.class);
    }

    @Test
    void theJournalListsRunsNewestFirstAndStepsInTheOrderTheyStarted(@TempDir Path dir) {
        try (SqliteStore store = new SqliteStore(dir, Clock.systemUTC())) {
            RunJournal journal = new RunJournal(store);
            journal.create(new RunRecord("run-a", "failover", "manual", "x", false, false, "genesys", "nice", "done",
                    "2026-01-01T10:00:00.000Z", null, null, null, Runbook.PLAN));
            journal.create(new RunRecord("run-b", "failback", "manual", "y", false, false, "nice", "genesys", "running",
                    "2026-01-01T11:00:00.000Z", null, null, null, Runbook.PLAN));
            assertThat(journal.recent(10)).extracting(RunRecord::runId).containsExactly("run-b", "run-a");
            assertThat(journal.putStep("run-b", new StepRecord("trunk", "running", "2026-01-01T11:00:00.002Z", null, null, 0), 0)).isTrue();
            assertThat(journal.putStep("run-b", new StepRecord("dns", "done", "2026-01-01T11:00:00.001Z", "x", "d", 1), 0)).isTrue();
            // a writer holding a stale version loses
            assertThat(journal.putStep("run-b", new StepRecord("dns", "failed", "2026-01-01T11:00:00.001Z", "x", "d", 1), 0)).isFalse();
            assertThat(journal.steps("run-b")).extracting(StepRecord::name).containsExactly("dns", "trunk");
            assertThatThrownBy(() -> journal.create(new RunRecord("run-a", "failover", "manual", "x", false, false, "genesys",
                    "nice", "running", "2026-01-01T12:00:00.000Z", null, null, null, Runbook.PLAN))).isInstanceOf(IllegalStateException.class);
        }
    }
}
