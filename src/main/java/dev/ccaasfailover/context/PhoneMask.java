package dev.ccaasfailover.context;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The only way a phone number reaches a log line. A number is normalized first (URI prefix and parameters dropped,
 * percent-escaped separators decoded, every formatting character ignored), then all its digits but the last four
 * are masked; an international number keeps its country code (libphonenumber), so "tel:+1 317-555-0142",
 * "+13175550142" and "+1 (317) 555-0142" all log as {@code +1******0142}, and "(317) 555-0142" as {@code ******0142}.
 */
public final class PhoneMask {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    /** Longer than any E.164 number (15 digits) with a trunk prefix: not one number, its digits are only counted. */
    private static final int MAX_DIGITS = 17;
    private static final String SEPARATOR = "(?:[\\s.\\-()/]|%2[0dDeE89])";
    /** Five or more digits with separators between them, optionally after "+" (or %2B) and "(": a number in text. */
    private static final Pattern NUMBER_IN_TEXT = Pattern.compile(
            "(?:\\+|%2[bB])?\\(?\\d(?:" + SEPARATOR + "*\\d){4,}");
    private static final Pattern ESCAPED_SEPARATOR = Pattern.compile("%2[0dDeE89]");

    private PhoneMask() {
    }

    /** Masks every number in free text (a request path such as /context/tel:+1%20317-555-0142), whatever its format. */
    public static String maskDigitsIn(String text) {
        if (text == null) {
            return "-";
        }
        return NUMBER_IN_TEXT.matcher(text).replaceAll(m -> Matcher.quoteReplacement(mask(m.group())));
    }

    /** "+13175550142" → "+1******0142"; "(317) 555-0142" → "******0142"; null → "-". Any format, valid or not. */
    public static String mask(String phone) {
        if (phone == null) {
            return "-";
        }
        String s = ESCAPED_SEPARATOR.matcher(PhoneNormalizer.withoutUriParts(phone.trim())).replaceAll(" ")
                .replace("%2B", "+").replace("%2b", "+").trim();
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            int d = Character.digit(s.charAt(i), 10); // other scripts' digits too
            if (d >= 0) {
                digits.append((char) ('0' + d));
            }
        }
        if (digits.length() > MAX_DIGITS) {
            return "*(" + digits.length() + " digits)";
        }
        String prefix = "";
        String national = digits.toString();
        if (s.startsWith("+") || s.startsWith("00")) {
            String international = s.startsWith("00") ? national.substring(2) : national;
            int code = countryCode(international);
            if (code > 0) {
                prefix = "+" + code;
                national = international.substring(String.valueOf(code).length());
            } else {
                prefix = "+";
                national = international;
            }
        }
        int keep = national.length() >= 8 ? 4 : national.length() / 3;
        return prefix + "*".repeat(national.length() - keep) + national.substring(national.length() - keep);
    }

    private static int countryCode(String digits) {
        if (digits.isEmpty()) {
            return 0;
        }
        try {
            return UTIL.parse("+" + digits, "ZZ").getCountryCode();
        } catch (NumberParseException e) {
            return 0;
        }
    }
}
