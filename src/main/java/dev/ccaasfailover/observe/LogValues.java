package dev.ccaasfailover.observe;

/**
 * The one way a value a client sent reaches a log line: clipped and with control characters escaped, so a request
 * can neither flood the log nor forge a line of its own (CR/LF, or Unicode line separators, in a header or field).
 */
public final class LogValues {

    /** The longest a logged client value gets, in characters, escapes and the clip mark included. */
    public static final int MAX = 200;
    private static final char CLIPPED = '…';

    private LogValues() {
    }

    /** At most {@link #MAX} characters; CR, LF, TAB as {@code \r \n \t}, other control characters as {@code \\uXXXX}. */
    public static String clip(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder(Math.min(value.length(), MAX) + 8);
        int i = 0;
        for (; i < value.length() && b.length() <= MAX; i++) { // never escapes more than one past the limit
            b.append(escape(value.charAt(i)));
        }
        if (i == value.length() && b.length() <= MAX) {
            return b.toString();
        }
        b.setLength(MAX - 1);
        if (Character.isHighSurrogate(b.charAt(MAX - 2))) {
            b.setLength(MAX - 2); // never half a surrogate pair
        }
        return b.append(CLIPPED).toString();
    }

    /** {@link #clip} of any object's text ({@code String.valueOf}). */
    public static String clip(Object value) {
        return value == null ? "-" : clip(String.valueOf(value));
    }

    private static String escape(char c) {
        return switch (c) {
            case '\r' -> "\\r";
            case '\n' -> "\\n";
            case '\t' -> "\\t";
            default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT
                    ? String.format("\\u%04x", (int) c) : String.valueOf(c);
        };
    }
}
