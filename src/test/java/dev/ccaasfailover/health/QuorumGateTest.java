package dev.ccaasfailover.health;

import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.store.SqliteStore;
import dev.ccaasfailover.testsupport.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Two observers sharing one store file, as two instances on one host do. */
class QuorumGateTest {

    @TempDir
    Path dir;

    @Test
    void downCountsOnlyWhenEnoughObserversAgreeWithinTheWindow() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
        try (SqliteStore a = new SqliteStore(dir, clock); SqliteStore b = new SqliteStore(dir, clock)) {
            QuorumGate observerA = new QuorumGate(a, "a", 2, 60000, clock);
            QuorumGate observerB = new QuorumGate(b, "b", 2, 60000, clock);

            observerA.record(Platform.GENESYS, HealthStatus.Down);
            assertThat(observerA.agreesDown(Platform.GENESYS)).as("one observer's own network trouble").isFalse();

            clock.advance(Duration.ofSeconds(5));
            observerB.record(Platform.GENESYS, HealthStatus.Up);
            assertThat(observerA.agreesDown(Platform.GENESYS)).isFalse();

            clock.advance(Duration.ofSeconds(5));
            observerB.record(Platform.GENESYS, HealthStatus.Down);
            assertThat(observerA.downVotes(Platform.GENESYS)).isEqualTo(2);
            assertThat(observerB.agreesDown(Platform.GENESYS)).isTrue();
            assertThat(observerA.agreesDown(Platform.NICE)).isFalse();

            clock.advance(Duration.ofSeconds(61));
            assertThat(observerA.agreesDown(Platform.GENESYS)).as("votes older than the window expire").isFalse();
        }
    }
}
