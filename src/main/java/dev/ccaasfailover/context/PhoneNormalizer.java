package dev.ccaasfailover.context;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

import java.util.Locale;
import java.util.Optional;

/**
 * Turns whatever a platform sends as a caller's number ("tel:+1 317-555-0142", "13175550142", "+13175550142",
 * "(317) 555-0142") into E.164 with Google's libphonenumber, so one caller has one key. Numbers without a country
 * code are read in the configured default region.
 */
public final class PhoneNormalizer {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
    private static final int MAX_INPUT = 64;
    private final String defaultRegion;

    public PhoneNormalizer(String defaultRegion) {
        this.defaultRegion = defaultRegion.toUpperCase(Locale.ROOT);
    }

    /** The E.164 form, or empty when the input is not a valid phone number. */
    public Optional<String> toE164(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.trim();
        if (s.isEmpty() || s.length() > MAX_INPUT) {
            return Optional.empty();
        }
        if (s.regionMatches(true, 0, "tel:", 0, 4)) {
            s = s.substring(4);
        } else if (s.regionMatches(true, 0, "sip:", 0, 4)) {
            int at = s.indexOf('@');
            s = s.substring(4, at < 0 ? s.length() : at);
        }
        int params = s.indexOf(';'); // tel:+1...;ext=12 or ;phone-context
        if (params >= 0) {
            s = s.substring(0, params);
        }
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

    public String defaultRegion() {
        return defaultRegion;
    }
}
