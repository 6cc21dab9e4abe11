package dev.ccaasfailover.context;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns whatever a platform sends as a caller's number ("tel:+1 317-555-0142", "13175550142", "+13175550142",
 * "(317) 555-0142") into E.164 with Google's libphonenumber, so one caller has one key. Numbers without a country
 * code are read in the configured default region.
 *
 * <p>libphonenumber's parse and validity check (regular expressions over the region's metadata) cost a few
 * microseconds, the largest part of ingesting an event; a caller's number repeats on every event of every call,
 * so results (valid or not) are kept in a bounded memo: at most {@link #MEMO_SIZE} inputs, emptied when full.
 */
public final class PhoneNormalizer {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final int MAX_INPUT = 64;
    static final int MEMO_SIZE = 50_000;
    private static final int MAX_MEMO_KEY = 2 * MAX_INPUT;
    private final String defaultRegion;
    private final ConcurrentHashMap<String, Optional<String>> memo = new ConcurrentHashMap<>();

    public PhoneNormalizer(String defaultRegion) {
        this.defaultRegion = defaultRegion.toUpperCase(Locale.ROOT);
    }

    /** The E.164 form, or empty when the input is not a valid phone number. */
    public Optional<String> toE164(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        if (raw.length() > MAX_MEMO_KEY) {
            return normalize(raw); // refused there unless it is mostly blanks; never kept
        }
        Optional<String> known = memo.get(raw);
        if (known != null) {
            return known;
        }
        Optional<String> result = normalize(raw);
        if (memo.size() >= MEMO_SIZE) {
            memo.clear();
        }
        memo.put(raw, result);
        return result;
    }

    private Optional<String> normalize(String raw) {
        String s = raw.trim();
        if (s.isEmpty() || s.length() > MAX_INPUT) {
            return Optional.empty();
        }
        s = withoutUriParts(s);
        try {
            PhoneNumber n = UTIL.parse(s, defaultRegion);
            if (!UTIL.isValidNumber(n)) {
                return Optional.empty();
            }
            return Optional.of(UTIL.format(n, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** The number part of a tel: or sip: URI (no scheme, host or parameters); other text as it is. */
    static String withoutUriParts(String s) {
        if (s.regionMatches(true, 0, "tel:", 0, 4)) {
            s = s.substring(4);
        } else if (s.regionMatches(true, 0, "sip:", 0, 4)) {
            int at = s.indexOf('@');
            s = s.substring(4, at < 0 ? s.length() : at);
        }
        int params = s.indexOf(';'); // tel:+1...;ext=12 or ;phone-context
        return params >= 0 ? s.substring(0, params) : s;
    }

    public String defaultRegion() {
        return defaultRegion;
    }
}
