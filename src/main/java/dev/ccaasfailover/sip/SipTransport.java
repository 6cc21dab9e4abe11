package dev.ccaasfailover.sip;

import java.util.Locale;

/**
 * The SIP transports that the prober and the simulator speak. TLS means SIP over TLS over TCP
 * (RFC 3261 §26.2), which is what {@code sips:} URIs and {@code ;transport=tls} ask for.
 */
public enum SipTransport {
    UDP(5060),
    TCP(5060),
    TLS(5061);

    private final int defaultPort;

    SipTransport(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    /** RFC 3261 §19.1.2: 5060 for UDP and TCP, 5061 for TLS. */
    public int defaultPort() {
        return defaultPort;
    }

    /** The value of a {@code ;transport=} URI parameter, lower case ("udp", "tcp", "tls"). */
    public String uriParam() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isStream() {
        return this != UDP;
    }

    /** Parses a {@code transport=} value, case-insensitively. */
    public static SipTransport fromUriParam(String value) {
        for (SipTransport t : values()) {
            if (t.uriParam().equalsIgnoreCase(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("transport '" + value + "' is not supported (udp, tcp, tls)");
    }
}
