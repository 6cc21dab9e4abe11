package dev.ccaasfailover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link RttEwma}, the smoothed SIP round-trip time (named Sip* to run with the SIP suite). */
class SipRttEwmaTest {

    @Test
    void firstSampleSeedsThenEachSampleWeighsAlpha() {
        RttEwma ewma = new RttEwma(0.3);
        assertThat(ewma.millis()).isEmpty();

        assertThat(ewma.update(Duration.ofMillis(10))).isCloseTo(10.0, within(1e-9));
        assertThat(ewma.update(Duration.ofMillis(20))).isCloseTo(13.0, within(1e-9)); // 0.3*20 + 0.7*10
        assertThat(ewma.update(Duration.ofMillis(13))).isCloseTo(13.0, within(1e-9));
        assertThat(ewma.millis()).hasValueCloseTo(13.0, within(1e-9));

        ewma.reset();
        assertThat(ewma.millis()).isEmpty();
    }

    @Test
    void keepsSubMillisecondPrecision() {
        RttEwma ewma = new RttEwma(1.0);
        assertThat(ewma.update(Duration.ofNanos(1_500_000))).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void alphaMustBeAWeight() {
        assertThatThrownBy(() -> new RttEwma(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RttEwma(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RttEwma(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
