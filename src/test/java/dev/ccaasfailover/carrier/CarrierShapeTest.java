package dev.ccaasfailover.carrier;

import dev.ccaasfailover.carrier.CarrierShape.Preferred;
import dev.ccaasfailover.simulator.TwilioSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class CarrierShapeTest {

    static final String PRIMARY = "sip:genesys-primary.trunk.example.com";
    static final String SECONDARY = "sip:nice-secondary.trunk.example.com";
    static final CarrierShape NORMAL = new CarrierShape(PRIMARY, SECONDARY, Preferred.PRIMARY);
    static final CarrierShape FAILED_OVER = NORMAL.preferring(Preferred.SECONDARY);

    private static OriginationUrl url(String sid, String sipUrl, int priority, int weight, boolean enabled) {
        return new OriginationUrl(sid, sid, sipUrl, priority, weight, enabled);
    }

    private static List<OriginationUrl> normalTrunk() {
        return List.of(url("OU1", PRIMARY, 10, 10, true), url("OU2", SECONDARY, 20, 10, true));
    }

    @Nested
    class Check {

        @Test
        void theNormalShapeHasNoFindings() {
            assertThat(NORMAL.check(normalTrunk())).isEmpty();
            assertThat(NORMAL.plan(normalTrunk())).isEmpty();
        }

        @Test
        void aMissingPlatformIsFound() {
            assertThat(NORMAL.check(List.of(url("OU1", PRIMARY, 10, 10, true))))
                    .containsExactly("no origination URL for the secondary " + SECONDARY);
            assertThat(NORMAL.check(List.of())).hasSize(2);
        }

        @Test
        void swappedPrioritiesAreFound() {
            List<OriginationUrl> swapped = List.of(url("OU1", PRIMARY, 20, 10, true), url("OU2", SECONDARY, 10, 10, true));
            assertThat(NORMAL.check(swapped)).contains(
                    "the primary " + PRIMARY + " (OU1) has priority 20, not 10",
                    "the secondary " + SECONDARY + " (OU2) has priority 10, not 20",
                    "the preferred primary " + PRIMARY + " has priority 20, not lower than the secondary's 10");
            assertThat(FAILED_OVER.check(swapped)).isEmpty();
        }

        @Test
        void equalPrioritiesAreNotAPreference() {
            List<OriginationUrl> equal = List.of(url("OU1", PRIMARY, 10, 10, true), url("OU2", SECONDARY, 10, 10, true));
            assertThat(NORMAL.check(equal)).contains(
                    "the preferred primary " + PRIMARY + " has priority 10, not lower than the secondary's 10");
        }

        @Test
        void aDisabledPlatformIsFound() {
            assertThat(NORMAL.check(List.of(url("OU1", PRIMARY, 10, 10, true), url("OU2", SECONDARY, 20, 10, false))))
                    .containsExactly("the secondary " + SECONDARY + " (OU2) is disabled");
        }

        @Test
        void aWrongWeightIsFound() {
            assertThat(NORMAL.check(List.of(url("OU1", PRIMARY, 10, 1, true), url("OU2", SECONDARY, 20, 10, true))))
                    .containsExactly("the primary " + PRIMARY + " (OU1) has weight 1, not 10");
        }

        @Test
        void anExtraEnabledUrlIsFoundButADisabledOneIsNot() {
            List<OriginationUrl> urls = List.of(url("OU1", PRIMARY, 10, 10, true), url("OU2", SECONDARY, 20, 10, true),
                    url("OU3", "sip:old-pbx.example.com", 5, 10, true), url("OU4", "sip:lab.example.com", 1, 10, false));
            assertThat(NORMAL.check(urls)).containsExactly(
                    "an extra enabled URL sip:old-pbx.example.com (OU3) points to neither platform");
        }

        @Test
        void aSecondEnabledUrlForAPlatformIsFound() {
            List<OriginationUrl> urls = List.of(url("OU1", PRIMARY, 10, 10, true), url("OU2", SECONDARY, 20, 10, true),
                    url("OU3", "SIP:Genesys-Primary.Trunk.Example.com", 30, 10, true));
            assertThat(NORMAL.check(urls)).containsExactly(
                    "another enabled URL SIP:Genesys-Primary.Trunk.Example.com (OU3) also points to the primary");
        }

        @Test
        void sipUrlsCompareAsRfc3261Does() {
            assertThat(CarrierShape.comparable("SIP:Genesys-Primary.Trunk.EXAMPLE.com"))
                    .isEqualTo(CarrierShape.comparable(PRIMARY));
            assertThat(CarrierShape.comparable("sip:host.example.com;Transport=TCP;lr"))
                    .isEqualTo(CarrierShape.comparable("sip:host.example.com;lr;transport=tcp"));
            assertThat(CarrierShape.comparable("sip:host.example.com:5060")).isNotEqualTo(CarrierShape.comparable("sip:host.example.com"));
            assertThat(CarrierShape.comparable("sip:Alice@host.example.com")).isNotEqualTo(CarrierShape.comparable("sip:alice@host.example.com"));
            assertThat(CarrierShape.comparable("sip:host.example.com;transport=tcp")).isNotEqualTo(CarrierShape.comparable("sip:host.example.com"));
        }

        @Test
        void theSamePlatformTwiceIsRefused() {
            assertThatThrownBy(() -> new CarrierShape(PRIMARY, "SIP:GENESYS-primary.trunk.example.com", Preferred.PRIMARY))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void planNeverDisablesBeforeBothPlatformsAreEnabled() {
            List<OriginationUrl> urls = List.of(url("OU3", "sip:old-pbx.example.com", 10, 10, true),
                    url("OU2", SECONDARY, 20, 10, false));
            List<TrunkWrite> plan = NORMAL.plan(urls);
            assertThat(plan).containsExactly(
                    new TrunkWrite.Create("ccaas-failover primary", PRIMARY, 10, 10, true),
                    new TrunkWrite.Update("OU2", OriginationUrlChange.none().enabled(true)),
                    new TrunkWrite.Update("OU3", OriginationUrlChange.none().enabled(false)));
        }
    }

    /** Plans applied through the client to the simulator, which refuses any write that leaves no enabled URL. */
    @Nested
    class AppliedToTheSimulator {

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private TwilioSimulator sim;
        private TwilioTrunk trunk;

        @BeforeEach
        void start() {
            sim = new TwilioSimulator(0).start();
            sim.addTrunk(TwilioTrunkTest.TRUNK);
            trunk = new TwilioTrunk(http, sim.apiBaseUrl(), TwilioTrunkTest.TRUNK, sim.apiKeySid(), sim.apiKeySecret(),
                    Duration.ofSeconds(5));
        }

        @AfterEach
        void stop() {
            sim.close();
        }

        private void seed(String sipUrl, int priority, boolean enabled) {
            sim.addOriginationUrl(TwilioTrunkTest.TRUNK, "seeded", sipUrl, priority, 10, enabled);
        }

        /** Applies the plan write by write, checking the trunk after each, then checks the shape is reached. */
        private List<TrunkWrite> reach(CarrierShape shape) {
            List<TrunkWrite> plan = shape.plan(trunk.list());
            for (TrunkWrite write : plan) {
                write.applyTo(trunk);
                assertThat(sim.originationUrls(TwilioTrunkTest.TRUNK))
                        .as("enabled URLs after %s", write).anyMatch(TwilioSimulator.StoredOriginationUrl::enabled);
            }
            assertThat(sim.alerts(TwilioTrunkTest.TRUNK)).as("32010: a moment without an enabled URL").isEmpty();
            assertThat(shape.check(trunk.list())).isEmpty();
            assertThat(shape.plan(trunk.list())).isEmpty();
            return plan;
        }

        @Test
        void fromAnEmptyTrunk() {
            assertThat(reach(NORMAL)).hasSize(2);
            assertThat(sim.originationUrls(TwilioTrunkTest.TRUNK))
                    .extracting("sipUrl", "priority", "weight", "enabled")
                    .containsExactly(tuple(PRIMARY, 10, 10, true),
                            tuple(SECONDARY, 20, 10, true));
        }

        @Test
        void fromSwappedPriorities() {
            seed(PRIMARY, 20, true);
            seed(SECONDARY, 10, true);
            assertThat(reach(NORMAL)).hasSize(2);
        }

        @Test
        void fromOnlyOneEnabled() {
            seed(PRIMARY, 10, false);
            seed(SECONDARY, 20, false);
            seed("sip:old-pbx.example.com", 10, true);
            List<TrunkWrite> plan = reach(NORMAL);
            assertThat(plan).hasSize(3);
            assertThat(sim.originationUrls(TwilioTrunkTest.TRUNK).get(2).enabled()).isFalse();
        }

        @Test
        void fromAnExtraAndADuplicateUrl() {
            seed(PRIMARY, 10, true);
            seed(SECONDARY, 20, true);
            seed("sip:old-pbx.example.com", 5, true);
            seed("sip:GENESYS-PRIMARY.trunk.example.com", 1, true);
            assertThat(reach(NORMAL)).hasSize(2);
            assertThat(sim.originationUrls(TwilioTrunkTest.TRUNK)).filteredOn(TwilioSimulator.StoredOriginationUrl::enabled)
                    .extracting("sipUrl").containsExactly(PRIMARY, SECONDARY);
        }

        @Test
        void fromOnlyAForeignUrlEnabled() {
            seed("sip:old-pbx.example.com", 10, true);
            assertThat(reach(FAILED_OVER)).hasSize(3);
        }

        @Test
        void swapToTheSecondaryAndBack() {
            reach(NORMAL);
            List<TrunkWrite> failover = reach(FAILED_OVER);
            assertThat(failover).hasSize(2);
            assertThat(sim.originationUrls(TwilioTrunkTest.TRUNK)).extracting("sipUrl", "priority")
                    .containsExactly(tuple(PRIMARY, 20),
                            tuple(SECONDARY, 10));
            assertThat(NORMAL.check(trunk.list())).isNotEmpty();
            assertThat(reach(NORMAL)).hasSize(2);
            assertThat(sim.originationUrls(TwilioTrunkTest.TRUNK)).extracting("priority").containsExactly(10, 20);
        }
    }
}
