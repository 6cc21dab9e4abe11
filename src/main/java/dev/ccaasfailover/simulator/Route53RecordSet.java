package dev.ccaasfailover.simulator;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A Route 53 resource record set (simple or with a SetIdentifier; alias records are not simulated).
 *
 * @param name          normalised: lower case with the trailing dot Route 53 answers with
 * @param setIdentifier null for simple records
 */
public record Route53RecordSet(String name, String type, String setIdentifier, long ttl, List<String> values) {

    public Route53RecordSet {
        name = normaliseName(name);
        type = type.toUpperCase(Locale.ROOT);
        values = List.copyOf(values);
    }

    /** The identity of a record set within a zone. */
    public record Key(String name, String type, String setIdentifier) {
    }

    public Key key() {
        return new Key(name, type, setIdentifier);
    }

    /** DELETE must repeat the current TTL and values (order of values does not matter). */
    boolean sameContentAs(Route53RecordSet other) {
        return ttl == other.ttl && new LinkedHashSet<>(values).equals(new LinkedHashSet<>(other.values));
    }

    public static String normaliseName(String name) {
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower : lower + ".";
    }

    /** Route 53 lists by DNS name with the labels reversed ({@code com.example.www.}), then by type. */
    static final Comparator<Key> LISTING_ORDER = Comparator
            .comparing((Key k) -> reversedLabels(k.name()))
            .thenComparing(Key::type)
            .thenComparing(k -> Objects.requireNonNullElse(k.setIdentifier(), ""));

    private static String reversedLabels(String name) {
        String[] labels = name.substring(0, name.length() - 1).split("\\.");
        StringBuilder reversed = new StringBuilder();
        for (int i = labels.length - 1; i >= 0; i--) {
            reversed.append(labels[i]).append('.');
        }
        return reversed.toString();
    }
}
