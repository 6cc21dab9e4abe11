package dev.ccaasfailover.context;

/** The only way a phone number reaches a log line: every character but the last four masked. */
public final class PhoneMask {

    private PhoneMask() {
    }

    private static final java.util.regex.Pattern DIGIT_RUN = java.util.regex.Pattern.compile("\\+?\\d{5,}");

    /** Masks every run of 5+ digits in free text (a request path such as /context/+13175550142). */
    public static String maskDigitsIn(String text) {
        if (text == null) {
            return "-";
        }
        return DIGIT_RUN.matcher(text).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(mask(m.group())));
    }

    /** "+13175550142" → "********0142"; null → "-". Works on raw input too, whatever its format. */
    public static String mask(String phone) {
        if (phone == null) {
            return "-";
        }
        int keep = Math.min(4, phone.length() / 2);
        StringBuilder b = new StringBuilder(phone.length());
        for (int i = 0; i < phone.length() - keep; i++) {
            b.append('*');
        }
        return b.append(phone, phone.length() - keep, phone.length()).toString();
    }
}
