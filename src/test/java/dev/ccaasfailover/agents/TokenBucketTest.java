package dev.ccaasfailover.agents;

import dev.ccaasfailover.testsupport.AgentOrg;
import dev.ccaasfailover.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TokenBucketTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final TokenBucket.Sleeper advance = clock::advance;

    @Test
    void neverMoreThanTheLimitInAnyWindowOverTenMinutes() throws InterruptedException {
        TokenBucket bucket = new TokenBucket(299, Duration.ofMinutes(1), clock, advance);
        List<Instant> sent = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            bucket.acquire();
            sent.add(clock.instant());
        }
        assertThat(AgentOrg.maxInWindow(sent, 60_000)).isLessThanOrEqualTo(299);
        // and it is not needlessly slow: 3,000 requests at ~224/min sustained after a burst of 74
        assertThat(Duration.between(sent.get(0), sent.get(sent.size() - 1))).isLessThan(Duration.ofMinutes(14));
    }

    @Test
    void aBurstGoesAtOnceThenTheRestIsSpread() throws InterruptedException {
        TokenBucket bucket = new TokenBucket(100, Duration.ofMinutes(1), clock, advance);
        for (int i = 0; i < 25; i++) {
            assertThat(bucket.reserve()).isZero();
        }
        assertThat(bucket.reserve()).isPositive();
    }

    @Test
    void a429PausesEveryoneAndNothingAccruesMeanwhile() {
        TokenBucket bucket = new TokenBucket(100, Duration.ofMinutes(1), clock, advance);
        bucket.pauseUntil(clock.instant().plusSeconds(5));
        Duration wait = bucket.reserve();
        assertThat(wait).isGreaterThanOrEqualTo(Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(5));
        // the bucket restarts empty: the next token is one refill interval after the pause
        assertThat(bucket.reserve()).isPositive();
    }
}
