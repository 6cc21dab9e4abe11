package dev.ccaasfailover.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One generated request: what it is sent as and what the contract expects of it.
 *
 * @param endpoint   the endpoint it aims at, as docs/architecture.md names it (the row of the report)
 * @param kind       what makes it hostile (the failure class it reports under)
 * @param target     the request target exactly as sent (already percent-encoded, or deliberately not)
 * @param headers    name/value pairs in order, duplicates allowed
 * @param raw        the whole request as bytes for the raw socket, or null to send it with the JDK client
 * @param mustRefuse the contract says 4xx for it (a 2xx is a failure)
 * @param canary     a unique string placed in every part of the request; no response header may contain it
 */
record HostileRequest(String endpoint, String kind, String method, String target, List<String[]> headers, byte[] body,
                      byte[] raw, boolean mustRefuse, boolean write, String canary) {

    /** One line for a failure report: method, target and the first bytes of headers and body, clipped. */
    String describe() {
        StringBuilder b = new StringBuilder();
        if (raw != null) {
            b.append("raw ").append(printable(new String(raw, 0, Math.min(raw.length, 300), StandardCharsets.ISO_8859_1)));
            return b.toString();
        }
        b.append(method).append(' ').append(clip(target, 160));
        for (String[] h : headers) {
            b.append(" | ").append(h[0]).append(": ").append(clip(h[1], 60));
        }
        if (body != null && body.length > 0) {
            b.append(" | body ").append(body.length).append(" B: ")
                    .append(printable(new String(body, 0, Math.min(body.length, 140), StandardCharsets.ISO_8859_1)));
        }
        return b.toString();
    }

    static String clip(String s, int max) {
        return printable(s.length() > max ? s.substring(0, max) + "...(" + s.length() + ")" : s);
    }

    /** CR, LF and other control or non-ASCII characters as escapes, so a failure report stays one line. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                b.append("\\r");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c >= 0x7f) {
                b.append(String.format("\\x%02x", (int) c & 0xffff));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
