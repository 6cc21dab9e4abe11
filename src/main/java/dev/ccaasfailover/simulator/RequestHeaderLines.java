package dev.ccaasfailover.simulator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The header lines of a request exactly as received, unfolded, with compact names expanded
 * (RFC 3261 §7.3.3), in order. The simulator echoes Via, From, To, Call-ID and CSeq from here.
 *
 * <p>Why not pkts-sip for this: in 3.0.18, {@code getViaHeaders()} and
 * {@code createResponse(int)} drop a compact-form Via ({@code v:}) and the extra values of a
 * comma-joined Via line, and a compact {@code t:} ends up twice in the response. A UAS must echo
 * every Via, in order (§8.2.6.2), so the echo is done from the raw lines.
 */
final class RequestHeaderLines {

    record Line(String name, String value) {
    }

    private static final Map<String, String> COMPACT = Map.of(
            "v", "Via", "f", "From", "t", "To", "i", "Call-ID", "l", "Content-Length",
            "m", "Contact", "c", "Content-Type", "k", "Supported");

    private final List<Line> lines;

    private RequestHeaderLines(List<Line> lines) {
        this.lines = lines;
    }

    static RequestHeaderLines parse(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        String block = end < 0 ? text : text.substring(0, end);
        String[] raw = block.split("\r\n");
        List<Line> lines = new ArrayList<>();
        // raw[0] is the request line
        for (int i = 1; i < raw.length; i++) {
            String line = raw[i];
            boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
            if (continuation && !lines.isEmpty()) {
                Line previous = lines.remove(lines.size() - 1);
                lines.add(new Line(previous.name(), previous.value() + " " + line.trim()));
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            lines.add(new Line(canonical(line.substring(0, colon).trim()), line.substring(colon + 1).trim()));
        }
        return new RequestHeaderLines(lines);
    }

    private static String canonical(String name) {
        String expanded = COMPACT.get(name.toLowerCase(Locale.ROOT));
        return expanded != null ? expanded : name;
    }

    /** All values of a header, in order of appearance (a comma-joined line stays one value). */
    List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Line line : lines) {
            if (line.name().equalsIgnoreCase(name)) {
                values.add(line.value());
            }
        }
        return values;
    }

    /** The first value of a header, or null. */
    String first(String name) {
        List<String> values = all(name);
        return values.isEmpty() ? null : values.get(0);
    }
}
