package dev.ccaasfailover.simulator;

import dev.ccaasfailover.sip.ReasonPhrases;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Builds the simulator's responses by RFC 3261 §8.2.6: Via (all, in order), From, To (with a tag
 * added when the request had none), Call-ID and CSeq copied from the request. Hand-built text
 * because pkts-sip 3.0.18's {@code createResponse} loses compact and comma-joined Vias and adds no
 * Content-Length (see {@link RequestHeaderLines}).
 */
final class UasResponseBuilder {

    /** What this UAS implements; a 405 must carry Allow (§21.4.6). */
    static final String ALLOW = "OPTIONS";
    static final String ACCEPT = "application/sdp";
    static final String SERVER = "ccaas-failover-simulator";

    /** A tag parameter outside the angle brackets of a name-addr (inside, it would be a URI param). */
    private static final Pattern TAG_PARAM = Pattern.compile(";\\s*tag\\s*=", Pattern.CASE_INSENSITIVE);

    private UasResponseBuilder() {
    }

    static byte[] build(RequestHeaderLines request, int status, String toTag, boolean isOptions) {
        StringBuilder out = new StringBuilder(512);
        out.append("SIP/2.0 ").append(status).append(' ').append(ReasonPhrases.of(status)).append("\r\n");
        for (String via : request.all("Via")) {
            header(out, "Via", via);
        }
        header(out, "From", request.first("From"));
        header(out, "To", withTag(request.first("To"), toTag));
        header(out, "Call-ID", request.first("Call-ID"));
        header(out, "CSeq", request.first("CSeq"));
        if (status == 405 || (isOptions && status / 100 == 2)) {
            header(out, "Allow", ALLOW);
        }
        if (isOptions && status / 100 == 2) {
            // RFC 3261 §11.2: a 200 to OPTIONS should say what the UAS accepts.
            header(out, "Accept", ACCEPT);
        }
        header(out, "Server", SERVER);
        header(out, "Content-Length", "0");
        out.append("\r\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void header(StringBuilder out, String name, String value) {
        if (value != null) {
            out.append(name).append(": ").append(value).append("\r\n");
        }
    }

    static String withTag(String to, String tag) {
        if (to == null || hasTag(to)) {
            return to;
        }
        return to + ";tag=" + tag;
    }

    static boolean hasTag(String to) {
        int close = to.lastIndexOf('>');
        String params = close >= 0 ? to.substring(close + 1) : to;
        return TAG_PARAM.matcher(params).find();
    }
}
