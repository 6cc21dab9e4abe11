package dev.ccaasfailover.health;

import dev.ccaasfailover.sip.SipTransport;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where to send OPTIONS: host, port and transport, parsed from a configured SIP URI such as
 * {@code sip:trunk.example.com:5060;transport=tcp}.
 *
 * <p>Defaults (RFC 3261 §19.1.2, RFC 3263 without NAPTR/SRV): transport UDP for {@code sip:},
 * TLS for {@code sips:}; port 5060, or 5061 for TLS. A user part is accepted and ignored (the
 * probe addresses the host). URI parameters other than {@code transport} are ignored. No DNS
 * SRV/NAPTR lookup is done: the host is resolved with A/AAAA when probing.
 */
public record SipTarget(String host, int port, SipTransport transport) {

    private static final Pattern HOSTNAME = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9]+)?");

    public SipTarget {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is required");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
        }
        if (transport == null) {
            throw new IllegalArgumentException("transport is required");
        }
    }

    /**
     * Parses {@code sip:host[:port][;transport=udp|tcp|tls]} or {@code sips:host[:port]}.
     *
     * @throws IllegalArgumentException naming the URI and what is wrong with it
     */
    public static SipTarget parse(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new IllegalArgumentException("SIP URI is empty");
        }
        String text = uri.trim();
        String lower = text.toLowerCase(Locale.ROOT);
        boolean secure;
        String rest;
        if (lower.startsWith("sips:")) {
            secure = true;
            rest = text.substring(5);
        } else if (lower.startsWith("sip:")) {
            secure = false;
            rest = text.substring(4);
        } else {
            throw bad(uri, "it must start with sip: or sips:");
        }
        if (rest.indexOf('?') >= 0) {
            throw bad(uri, "URI headers ('?...') are not allowed in a probe target");
        }
        int semicolon = rest.indexOf(';');
        String hostPort = semicolon < 0 ? rest : rest.substring(0, semicolon);
        String params = semicolon < 0 ? "" : rest.substring(semicolon + 1);
        int at = hostPort.lastIndexOf('@');
        if (at >= 0) {
            hostPort = hostPort.substring(at + 1); // user part: ignored
        }
        if (hostPort.isEmpty()) {
            throw bad(uri, "it has no host");
        }

        String host;
        String portText;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw bad(uri, "the IPv6 address has no closing ']'");
            }
            host = hostPort.substring(1, close);
            if (!IPV6.matcher(host).matches() || host.indexOf(':') < 0) {
                throw bad(uri, "'" + host + "' is not an IPv6 address");
            }
            String after = hostPort.substring(close + 1);
            if (!after.isEmpty() && !after.startsWith(":")) {
                throw bad(uri, "unexpected '" + after + "' after the IPv6 address");
            }
            portText = after.isEmpty() ? null : after.substring(1);
        } else {
            int colon = hostPort.indexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? null : hostPort.substring(colon + 1);
            if (portText != null && portText.indexOf(':') >= 0) {
                throw bad(uri, "an IPv6 address must be written in brackets, e.g. sip:[2001:db8::1]:5060");
            }
            if (host.isEmpty()) {
                throw bad(uri, "it has no host");
            }
            if (!HOSTNAME.matcher(host).matches()) {
                throw bad(uri, "'" + host + "' is not a valid host name or IPv4 address");
            }
        }

        SipTransport transport = transportParam(uri, params);
        if (secure) {
            if (transport == SipTransport.UDP) {
                throw bad(uri, "sips: requires TLS, it cannot use transport=udp");
            }
            transport = SipTransport.TLS; // sips with transport=tcp means TLS over TCP (RFC 3261 §26.2.2)
        } else if (transport == null) {
            transport = SipTransport.UDP;
        }
        int port = portText == null ? transport.defaultPort() : port(uri, portText);
        return new SipTarget(host, port, transport);
    }

    private static SipTransport transportParam(String uri, String params) {
        SipTransport transport = null;
        if (params.isEmpty()) {
            return null;
        }
        for (String param : params.split(";", -1)) {
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).trim();
            if (name.isEmpty()) {
                throw bad(uri, "it has an empty URI parameter");
            }
            if (!name.equalsIgnoreCase("transport")) {
                continue;
            }
            String value = eq < 0 ? "" : param.substring(eq + 1).trim();
            if (value.isEmpty()) {
                throw bad(uri, "the transport parameter has no value (udp, tcp, tls)");
            }
            if (transport != null) {
                throw bad(uri, "transport is given twice");
            }
            try {
                transport = SipTransport.fromUriParam(value);
            } catch (IllegalArgumentException e) {
                throw bad(uri, e.getMessage());
            }
        }
        return transport;
    }

    private static int port(String uri, String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            throw bad(uri, "port '" + text + "' is not a number between 1 and 65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw bad(uri, "port " + port + " is not between 1 and 65535");
        }
        return port;
    }

    private static IllegalArgumentException bad(String uri, String why) {
        return new IllegalArgumentException("bad SIP URI '" + uri + "': " + why);
    }

    /** The host as it appears in a URI or Via: IPv6 literals in brackets. */
    public String hostForUri() {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** Canonical form, e.g. {@code sip:10.0.0.5:5061;transport=tls}. */
    public String uri() {
        return "sip:" + hostForUri() + ":" + port + ";transport=" + transport.uriParam();
    }

    @Override
    public String toString() {
        return uri();
    }
}
