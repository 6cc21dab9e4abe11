package dev.ccaasfailover.health;

import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.health.CallerLossModel.Carrier;
import dev.ccaasfailover.health.CallerLossModel.DeadAnswer;
import dev.ccaasfailover.health.CallerLossModel.Destination;
import dev.ccaasfailover.health.CallerLossModel.Dial;
import dev.ccaasfailover.health.CallerLossModel.OriginationUrl;
import dev.ccaasfailover.health.CallerLossModel.Resolver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The caller-loss model's pieces, so that a change to them fails the normal build and not only the benchmark's figure. */
class CallerLossModelTest {

    static final Carrier MOVES_ON_AFTER_4S = new Carrier(4, 1, 0.2);
    static final Carrier ONLY_ON_ERROR = new Carrier(Double.POSITIVE_INFINITY, 1, 0.2);
    static final List<OriginationUrl> CNAME_ONLY = List.of(new OriginationUrl(10, Destination.VOICE_CNAME));
    static final List<OriginationUrl> FAILOVER_TRUNK = List.of(new OriginationUrl(20, Destination.NICE),
            new OriginationUrl(10, Destination.VOICE_CNAME)); // listed out of order: the walk sorts
    static final List<OriginationUrl> SWAPPED = List.of(new OriginationUrl(10, Destination.NICE),
            new OriginationUrl(20, Destination.VOICE_CNAME));

    @Test
    void resolverAnswersTheOldRecordUntilItsNextFetchAfterTheChange() {
        Resolver ttl60 = new Resolver(60, 15); // fetches at 15, 75, 135, ...
        assertThat(ttl60.answersOld(100, 100)).isTrue();  // fetched at 75
        assertThat(ttl60.answersOld(134.9, 100)).isTrue();
        assertThat(ttl60.answersOld(135, 100)).isFalse();
        assertThat(ttl60.answersOld(50, 100)).isTrue();   // before the change there is only the old record
        assertThat(ttl60.answersOld(75, 75)).isFalse();   // a fetch at the change's second gets the new record
    }

    @Test
    void fifteenMinuteCacheIgnoresTheTtl() {
        Resolver stale = new Resolver(900, 300); // fetches at 300, 1200, ...
        assertThat(stale.answersOld(1199, 400)).isTrue();
        assertThat(stale.answersOld(1200, 400)).isFalse();
    }

    @Test
    void liveGenesysAnswersOnTheFirstUrl() {
        Dial d = CallerLossModel.dial(FAILOVER_TRUNK, true, true, DeadAnswer.NOTHING, MOVES_ON_AFTER_4S, 8);
        assertThat(d).isEqualTo(new Dial(Platform.GENESYS, 1, false));
    }

    @Test
    void blackHoledPrimaryMovesOnAfterTheTimeoutWithinTheCallersPatience() {
        Dial d = CallerLossModel.dial(FAILOVER_TRUNK, true, false, DeadAnswer.NOTHING, MOVES_ON_AFTER_4S, 8);
        assertThat(d).isEqualTo(new Dial(Platform.NICE, 5, true));
    }

    @Test
    void callerHangsUpBeforeACarrierTimeoutLongerThanThePatience() {
        Dial d = CallerLossModel.dial(FAILOVER_TRUNK, true, false, DeadAnswer.NOTHING, new Carrier(32, 1, 0.2), 8);
        assertThat(d).isEqualTo(new Dial(null, 8, false));
        // a move-on that leaves less than the set-up time is as good as none: the caller is gone before NICE answers
        assertThat(CallerLossModel.dial(FAILOVER_TRUNK, true, false, DeadAnswer.NOTHING, new Carrier(7.5, 1, 0.2), 8).reached()).isFalse();
    }

    @Test
    void carrierMovingOnOnlyOnErrorNeverLeavesABlackHoleButLeavesARefusalAtOnce() {
        assertThat(CallerLossModel.dial(FAILOVER_TRUNK, true, false, DeadAnswer.NOTHING, ONLY_ON_ERROR, 8))
                .isEqualTo(new Dial(null, 8, false));
        assertThat(CallerLossModel.dial(FAILOVER_TRUNK, true, false, DeadAnswer.REFUSAL, ONLY_ON_ERROR, 8))
                .isEqualTo(new Dial(Platform.NICE, 1.2, true));
    }

    @Test
    void withoutASecondUrlTheCallerHearsSilenceOrAFailureTone() {
        assertThat(CallerLossModel.dial(CNAME_ONLY, true, false, DeadAnswer.NOTHING, MOVES_ON_AFTER_4S, 8))
                .isEqualTo(new Dial(null, 8, false));
        assertThat(CallerLossModel.dial(CNAME_ONLY, true, false, DeadAnswer.REFUSAL, MOVES_ON_AFTER_4S, 8))
                .isEqualTo(new Dial(null, 0.2, false));
    }

    @Test
    void resolverAlreadyOnNiceNeedsNoFailover() {
        assertThat(CallerLossModel.dial(CNAME_ONLY, false, false, DeadAnswer.NOTHING, ONLY_ON_ERROR, 8))
                .isEqualTo(new Dial(Platform.NICE, 1, false));
    }

    @Test
    void prioritySwapSendsNewCallsToNiceWhateverTheResolverSays() {
        assertThat(CallerLossModel.dial(SWAPPED, true, false, DeadAnswer.NOTHING, ONLY_ON_ERROR, 8))
                .isEqualTo(new Dial(Platform.NICE, 1, false));
    }

    @Test
    void ivrStateIsWrittenFromTheFirstHeartbeatOn() {
        assertThat(CallerLossModel.ivrStateWritten(100, 60, 109.9, 10)).isFalse();
        assertThat(CallerLossModel.ivrStateWritten(100, 60, 110, 10)).isTrue();
        assertThat(CallerLossModel.ivrStateWritten(100, 30, 500, 10)).isTrue();  // past the IVR: its last heartbeat
        assertThat(CallerLossModel.ivrStateWritten(100, 5, 500, 10)).isFalse(); // left the IVR before one
    }
}
