package dev.ccaasfailover.dns;

import dev.ccaasfailover.config.FailoverConfig;
import dev.ccaasfailover.config.InvalidConfigurationException;
import dev.ccaasfailover.runbook.StepFailedException;
import dev.ccaasfailover.runbook.StepState;
import dev.ccaasfailover.testsupport.BindServer;
import dev.ccaasfailover.testsupport.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** dns.provider=rfc2136 against a real BIND (named) on loopback, the zone's primary, taking TSIG-signed UPDATEs. */
class Rfc2136CutoverTest {

    static final String RECORD = "inbound.voiceservices.example.com";
    static final String GENESYS = "genesys-primary.trunk.example.com";
    static final String NICE = "nice-secondary.trunk.example.com";
    static final String KEY = "ccaas-failover";

    final String secret = secret();
    BindServer named;

    static String secret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    @BeforeEach
    void start() throws Exception {
        named = BindServer.startAcceptingUpdates(RECORD, GENESYS, KEY, secret);
    }

    @AfterEach
    void stop() {
        named.close();
    }

    Map<String, String> settings(String server, String keyName, String tsigSecret) {
        Map<String, String> p = new HashMap<>();
        p.put("failover.dns.provider", "rfc2136");
        p.put("failover.dns.record-name", RECORD);
        p.put("failover.dns.target.genesys", GENESYS);
        p.put("failover.dns.target.nice", NICE);
        p.put("failover.dns.rfc2136.server", server);
        p.put("failover.dns.rfc2136.tsig-key-name", keyName);
        p.put("failover.dns.rfc2136.tsig-secret", tsigSecret);
        p.put("failover.runbook.vendor-timeout-ms", "2000");
        return p;
    }

    static FailoverConfig config(Map<String, String> p) {
        return FailoverConfig.load(p::get);
    }

    DnsCutover cutover(String keyName, String tsigSecret) {
        return DnsCutover.create(config(settings(named.resolverSetting(), keyName, tsigSecret)));
    }

    /** What any resolver asking the primary (unsigned, over UDP, like a carrier's) is told. */
    String answered() throws Exception {
        SimpleResolver r = new SimpleResolver(named.address());
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(RECORD + "."), Type.CNAME, DClass.IN)));
        return m.getSection(Section.ANSWER).stream().filter(CNAMERecord.class::isInstance)
                .map(c -> ((CNAMERecord) c).getTarget().toString(true) + " TTL " + c.getTTL()).findFirst().orElse("none");
    }

    @Test
    void theUpdateMovesTheCnameWithItsTtlAndTheWatchSeesItOnTheSameServer() throws Exception {
        try (DnsCutover dns = cutover(KEY, secret)) {
            assertThat(dns).isInstanceOf(Rfc2136Cutover.class);
            StepState before = dns.read("nice");
            assertThat(before.holds()).isFalse();
            assertThat(before.current()).isEqualTo(RECORD + " CNAME " + GENESYS + " TTL 60");
            assertThat(before.target()).isEqualTo(RECORD + " CNAME " + NICE + " TTL 60");

            String change = dns.upsert("nice");
            assertThat(dns.awaitInSync(change)).startsWith("RFC 2136 UPDATE to " + NICE + " applied by " + named.resolverSetting())
                    .contains("zone voiceservices.example.com serial ");
            assertThat(dns.read("nice").holds()).isTrue();
            assertThat(answered()).isEqualTo(NICE + " TTL 60");

            // the split-brain watch, asking the same server as a carrier's resolver would
            DnsPropagationWatch watch = new DnsPropagationWatch(config(with(settings(named.resolverSetting(), KEY, secret),
                    "failover.dns.propagation.resolvers", named.resolverSetting())).dns(), Clock.systemUTC());
            watch.watch("nice", "run-rfc2136");
            assertThat(watch.tick()).containsEntry("state", "complete");

            // and back (failback); an UPDATE again with the same target changes nothing visible
            dns.awaitInSync(dns.upsert("genesys"));
            dns.upsert("genesys");
            assertThat(answered()).isEqualTo(GENESYS + " TTL 60");
            assertThat(dns.read("genesys").holds()).isTrue();
        }
    }

    @Test
    void aWrongSecretIsRefusedForGoodAndChangesNothing() throws Exception {
        try (DnsCutover dns = cutover(KEY, secret())) {
            assertThatThrownBy(() -> dns.upsert("nice")).isInstanceOfSatisfying(StepFailedException.class, e -> {
                assertThat(e.retryable()).as("a retry cannot fix a key").isFalse();
                assertThat(e.getMessage()).contains("NOTAUTH").contains("TSIG BADSIG").contains("failover.dns.rfc2136.tsig-");
                assertThat(e.getMessage()).doesNotContain(secret);
            });
        }
        assertThat(answered()).isEqualTo(GENESYS + " TTL 60");
    }

    @Test
    void aKeyTheServerDoesNotKnowIsRefused() throws Exception {
        try (DnsCutover dns = cutover("someone-else", secret)) {
            assertThatThrownBy(() -> dns.upsert("nice")).isInstanceOfSatisfying(StepFailedException.class, e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage()).contains("NOTAUTH").contains("BADKEY");
            });
            // reads are signed too, and an answer that is not signed with our key is not trusted
            assertThatThrownBy(() -> dns.read("nice")).isInstanceOf(StepFailedException.class);
        }
        assertThat(answered()).isEqualTo(GENESYS + " TTL 60");
    }

    @Test
    void aServerThatDoesNotAnswerIsWorthARetry() {
        try (DnsCutover dns = DnsCutover.create(config(settings("127.0.0.1:" + FreePorts.any(), KEY, secret)))) {
            assertThatThrownBy(() -> dns.upsert("nice")).isInstanceOfSatisfying(StepFailedException.class, e -> {
                assertThat(e.retryable()).isTrue();
                assertThat(e.getMessage()).contains("got no answer");
            });
        }
    }

    @Test
    void badSettingsStopStartUpNamingTheKey() {
        Map<String, String> base = settings("192.0.2.53", KEY, secret);
        assertKey(with(base, "failover.dns.rfc2136.server", ""), "failover.dns.rfc2136.server");
        assertKey(with(base, "failover.dns.rfc2136.server", "192.0.2.53,192.0.2.54"), "failover.dns.rfc2136.server");
        assertKey(with(base, "failover.dns.rfc2136.server", "ns1.example.com"), "failover.dns.rfc2136.server");
        assertKey(with(base, "failover.dns.rfc2136.zone", "example.org"), "failover.dns.rfc2136.zone");
        assertKey(with(base, "failover.dns.rfc2136.tsig-key-name", ""), "failover.dns.rfc2136.tsig-key-name");
        assertKey(with(base, "failover.dns.rfc2136.tsig-algorithm", "hmac-md5"), "failover.dns.rfc2136.tsig-algorithm");
        assertKey(with(base, "failover.dns.rfc2136.tsig-secret", ""), "failover.dns.rfc2136.tsig-secret");
        assertKey(with(base, "failover.dns.rfc2136.tsig-secret", "not base64!"), "failover.dns.rfc2136.tsig-secret");
        assertKey(with(base, "failover.dns.rfc2136.tsig-secret", "c2hvcnQ="), "failover.dns.rfc2136.tsig-secret");
        assertKey(with(base, "failover.dns.target.nice", ""), "failover.dns.target.nice");

        FailoverConfig.Rfc2136Settings ok = config(base).dns().rfc2136();
        assertThat(ok.zone()).isEqualTo("voiceservices.example.com");
        assertThat(ok.server().getPort()).isEqualTo(53);
        assertThat(ok.algorithm()).isEqualTo("hmac-sha256");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> p = new HashMap<>(base);
        p.put(key, value);
        return p;
    }

    private static void assertKey(Map<String, String> p, String key) {
        assertThatThrownBy(() -> config(p)).isInstanceOfSatisfying(InvalidConfigurationException.class,
                e -> assertThat(e.getMessage()).contains(key));
    }

    @Test
    void theSecretNeverAppearsInAStepResultOrAnError() throws Exception {
        try (DnsCutover dns = cutover(KEY, secret)) {
            List<String> texts = List.of(dns.read("nice").toString(), dns.awaitInSync(dns.upsert("nice")));
            assertThat(texts).allSatisfy(t -> assertThat(t).doesNotContain(secret));
        }
    }
}
