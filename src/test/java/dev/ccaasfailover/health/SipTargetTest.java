package dev.ccaasfailover.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ccaasfailover.sip.SipTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SipTargetTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "sip:10.0.0.5,                               10.0.0.5,          5060, UDP",
            "sip:10.0.0.5:5099,                          10.0.0.5,          5099, UDP",
            "sip:10.0.0.5:5099;transport=udp,            10.0.0.5,          5099, UDP",
            "sip:trunk.example.com;transport=tcp,         trunk.example.com, 5060, TCP",
            "sip:trunk.example.com:5080;transport=TCP,    trunk.example.com, 5080, TCP",
            "sip:trunk.example.com;transport=tls,         trunk.example.com, 5061, TLS",
            "sips:trunk.example.com,                     trunk.example.com, 5061, TLS",
            "SIPS:trunk.example.com:5071;transport=tcp,   trunk.example.com, 5071, TLS",
            "sip:genesys@byoc.mypurecloud.com;lr;transport=tls, byoc.mypurecloud.com, 5061, TLS",
            "sip:[2001:db8::1]:5070;transport=tcp,       2001:db8::1,       5070, TCP",
            "sip:[::1],                                  ::1,               5060, UDP",
            "'  sip:127.0.0.1:5099;transport=tcp  ',      127.0.0.1,         5099, TCP",
    })
    void parsesGoodUris(String uri, String host, int port, SipTransport transport) {
        assertThat(SipTarget.parse(uri)).isEqualTo(new SipTarget(host, port, transport));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''                                   | empty",
            "http://10.0.0.5                      | must start with sip: or sips:",
            "10.0.0.5:5060                        | must start with sip: or sips:",
            "tel:+13175550142                     | must start with sip: or sips:",
            "sip:                                 | has no host",
            "sip::5060                            | has no host",
            "sip:user@                            | has no host",
            "sip:10.0.0.5:                        | port '' is not a number",
            "sip:10.0.0.5:abc                     | port 'abc' is not a number",
            "sip:10.0.0.5:0                       | port 0 is not between 1 and 65535",
            "sip:10.0.0.5:70000                   | port 70000 is not between 1 and 65535",
            "sip:10.0.0.5:5060;transport=sctp     | transport 'sctp' is not supported",
            "sip:10.0.0.5:5060;transport=         | transport parameter has no value",
            "sip:10.0.0.5;transport=tcp;transport=udp | transport is given twice",
            "sips:10.0.0.5;transport=udp          | sips: requires TLS",
            "sip:2001:db8::1                      | IPv6 address must be written in brackets",
            "sip:[2001:db8::1                     | no closing ']'",
            "sip:[zz]:5060                        | not an IPv6 address",
            "sip:bad_host!name                    | not a valid host name",
            "sip:10.0.0.5?subject=hi              | URI headers",
            "sip:10.0.0.5;;transport=tcp          | empty URI parameter",
    })
    void rejectsMalformedUrisSayingWhy(String uri, String why) {
        assertThatThrownBy(() -> SipTarget.parse(uri))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> SipTarget.parse(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void printsACanonicalUriThatParsesBackToItself() {
        SipTarget target = SipTarget.parse("sips:[2001:db8::1]");
        assertThat(target.uri()).isEqualTo("sip:[2001:db8::1]:5061;transport=tls");
        assertThat(SipTarget.parse(target.uri())).isEqualTo(target);
        assertThat(SipTarget.parse("sip:10.0.0.5").uri()).isEqualTo("sip:10.0.0.5:5060;transport=udp");
    }

    @Test
    void constructorValidatesToo() {
        assertThatThrownBy(() -> new SipTarget(" ", 5060, SipTransport.UDP)).hasMessageContaining("host");
        assertThatThrownBy(() -> new SipTarget("h", 0, SipTransport.UDP)).hasMessageContaining("port");
        assertThatThrownBy(() -> new SipTarget("h", 5060, null)).hasMessageContaining("transport");
    }
}
