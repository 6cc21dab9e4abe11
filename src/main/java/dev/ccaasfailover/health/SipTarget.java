package dev.ccaasfailover.health;
// TEMPORARY stand-in until the SIP prober lands; replaced by the real one.
public record SipTarget(String host, int port, String transport) {
    public static SipTarget parse(String uri) {
        if (!uri.startsWith("sip:") && !uri.startsWith("sips:")) throw new IllegalArgumentException("'" + uri + "' is not a sip: URI");
        return new SipTarget("x", 5060, "udp");
    }
}
