package dev.ccaasfailover.runbook;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps of the journal: ISO-8601 UTC with fixed millisecond precision, so they sort as strings. */
public final class Times {

    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String iso(Instant instant) {
        return ISO_MILLIS.format(instant);
    }

    public static Instant parse(String iso) {
        return iso == null ? null : Instant.parse(iso);
    }
}
