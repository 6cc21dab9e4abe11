package dev.ccaasfailover.carrier;

import dev.ccaasfailover.simulator.TwilioSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TwilioTrunkTest {

    static final String TRUNK = "TK0123456789abcdef0123456789abcdef";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private TwilioSimulator sim;
    private TwilioTrunk trunk;

    @BeforeEach
    void start() {
        sim = new TwilioSimulator(0).start();
        sim.addTrunk(TRUNK);
        trunk = new TwilioTrunk(http, sim.apiBaseUrl(), TRUNK, sim.apiKeySid(), sim.apiKeySecret(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void createListUpdateDeleteRoundTrip() {
        assertThat(trunk.list()).isEmpty();
        OriginationUrl primary = trunk.create("genesys primary", "sip:genesys-primary.trunk.example.com", 10, 10, true);
        OriginationUrl secondary = trunk.create("nice secondary", "sip:nice-secondary.trunk.example.com", 20, 10, true);
        assertThat(primary.sid()).matches("OU[0-9a-f]{32}");
        assertThat(trunk.list()).containsExactly(primary, secondary);

        OriginationUrl updated = trunk.update(primary.sid(), OriginationUrlChange.none().priority(30).weight(5));
        assertThat(updated).isEqualTo(new OriginationUrl(primary.sid(), "genesys primary",
                "sip:genesys-primary.trunk.example.com", 30, 5, true));

        trunk.update(primary.sid(), OriginationUrlChange.none().enabled(false));
        trunk.delete(primary.sid());
        assertThat(trunk.list()).containsExactly(secondary);
    }

    @Test
    void listFollowsNextPageUrlAcrossPages() {
        int count = TwilioTrunk.PAGE_SIZE * 2 + 7;
        for (int i = 0; i < count; i++) {
            sim.addOriginationUrl(TRUNK, "sbc " + i, "sip:sbc" + i + ".example.com", 10, 10, true);
        }
        List<OriginationUrl> all = trunk.list();
        assertThat(all).hasSize(count);
        assertThat(all).extracting(OriginationUrl::sid)
                .containsExactlyElementsOf(sim.originationUrls(TRUNK).stream().map(TwilioSimulator.StoredOriginationUrl::sid).toList());
        assertThat(sim.count("GET", "/v1/Trunks/" + TRUNK + "/OriginationUrls")).isEqualTo(3);
    }

    @Test
    void valuesAreFormEncoded() {
        OriginationUrl created = trunk.create("Genesys & NICE = 100% ü", "sip:user+1@genesys-primary.trunk.example.com;transport=tcp",
                10, 10, true);
        assertThat(created.friendlyName()).isEqualTo("Genesys & NICE = 100% ü");
        assertThat(created.sipUrl()).isEqualTo("sip:user+1@genesys-primary.trunk.example.com;transport=tcp");
        assertThat(sim.requests().get(0).header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
    }

    @Test
    void accountSidAndAuthTokenAlsoAuthenticate() {
        TwilioTrunk withAccount = new TwilioTrunk(http, sim.apiBaseUrl(), TRUNK, sim.accountSid(), sim.authToken(),
                Duration.ofSeconds(5));
        assertThat(withAccount.list()).isEmpty();
    }

    @Test
    void refusalCarriesStatusCodeAndMessageButNoSecret() {
        TwilioTrunk wrong = new TwilioTrunk(http, sim.apiBaseUrl(), TRUNK, sim.apiKeySid(), "wrong-secret-value",
                Duration.ofSeconds(5));
        assertThatThrownBy(wrong::list).isInstanceOfSatisfying(TwilioCallException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.twilioCode()).isEqualTo(20003);
            assertThat(e.getMessage()).contains("Authenticate").doesNotContain("wrong-secret-value")
                    .doesNotContain(sim.apiKeySecret());
        });
        assertThatThrownBy(() -> trunk.create("x", "sips:genesys-primary.trunk.example.com", 10, 10, true))
                .isInstanceOfSatisfying(TwilioCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.twilioCode()).isEqualTo(20001);
                    assertThat(e.getMessage()).contains("sips");
                });
    }

    @Test
    void anUnknownSidIsNotFoundWithTwiliosCode() {
        sim.addOriginationUrl(TRUNK, "genesys", "sip:genesys-primary.trunk.example.com", 10, 10, true);
        assertThatThrownBy(() -> trunk.delete("OU" + "0".repeat(32)))
                .isInstanceOfSatisfying(TwilioCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.twilioCode()).isEqualTo(20404);
                });
        assertThat(sim.originationUrls(TRUNK)).hasSize(1);
    }

    @Test
    void noAnswerIsReportedWithoutAStatus() {
        sim.close();
        assertThatThrownBy(trunk::list).isInstanceOfSatisfying(TwilioCallException.class,
                e -> assertThat(e.status()).isZero());
    }
}
