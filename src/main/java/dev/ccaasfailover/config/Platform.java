package dev.ccaasfailover.config;

import java.util.Arrays;
import java.util.Locale;

/** The contact-center platforms the product knows. Which one is primary is configuration. */
public enum Platform {
    GENESYS, NICE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Platform parse(String key, String value) {
        for (Platform p : values()) {
            if (p.id().equals(value == null ? "" : value.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new InvalidConfigurationException(key, "unknown platform '" + value + "'; write one of "
                + String.join(" or ", Arrays.stream(values()).map(Platform::id).toList()));
    }

    @Override
    public String toString() {
        return id();
    }
}
