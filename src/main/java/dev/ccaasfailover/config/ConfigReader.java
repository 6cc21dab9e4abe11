package dev.ccaasfailover.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads typed values from a key lookup and turns every bad value into an {@link InvalidConfigurationException}
 * whose one-line message names the key, what is wrong and what to write instead. A key that is absent or blank gets
 * its documented default: the value application.properties gives it (the jar's copy, {@link #DOCUMENTED}), so each
 * default is written once, in the file an operator reads.
 */
final class ConfigReader {

    /** The application.properties packed into the jar (built from the project's own): the documented defaults. */
    static final String DOCUMENTED = "application.properties";

    private static final Properties DEFAULTS = loadDefaults();

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}\\.?$)([A-Za-z0-9_](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9_](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private final Function<String, String> lookup;

    ConfigReader(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    private static Properties loadDefaults() {
        Properties p = new Properties();
        try (InputStream in = ConfigReader.class.getClassLoader().getResourceAsStream(DOCUMENTED)) {
            if (in == null) {
                throw new IllegalStateException("classpath:" + DOCUMENTED + " is missing: the jar is incomplete; rebuild it");
            }
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    /** Every key the documented application.properties lists, with its value as written there. */
    static Properties documented() {
        Properties copy = new Properties();
        copy.putAll(DEFAULTS);
        return copy;
    }

    /** The documented default of a key that has one; a key read with a default must be documented with one. */
    String documentedDefault(String key) {
        String v = DEFAULTS.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(key + " has no default in " + DOCUMENTED + ": document it there");
        }
        return v.trim();
    }

    /** The trimmed value, or null when the key is absent or blank. */
    String optional(String key) {
        String v = lookup.apply(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    /** The value, or the documented default. */
    String text(String key) {
        String v = optional(key);
        return v == null ? documentedDefault(key) : v;
    }

    String required(String key, String example) {
        String v = optional(key);
        if (v == null) {
            throw new InvalidConfigurationException(key, "is required here; write e.g. " + key + "=" + example);
        }
        return v;
    }

    long positiveLong(String key) {
        String defaultValue = documentedDefault(key);
        long n = wholeNumber(key, defaultValue);
        if (n <= 0) {
            throw new InvalidConfigurationException(key, "must be greater than zero, got " + n + "; write e.g. " + key + "=" + defaultValue);
        }
        return n;
    }

    long nonNegativeLong(String key) {
        String defaultValue = documentedDefault(key);
        long n = wholeNumber(key, defaultValue);
        if (n < 0) {
            throw new InvalidConfigurationException(key, "must not be negative, got " + n + "; write e.g. " + key + "=" + defaultValue);
        }
        return n;
    }

    private long wholeNumber(String key, String defaultValue) {
        String v = optional(key);
        boolean documented = v == null;
        if (documented) {
            v = defaultValue;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            if (documented) {
                throw new IllegalStateException(key + "'s default in " + DOCUMENTED + " is not a whole number: " + v);
            }
            throw new InvalidConfigurationException(key, "'" + v + "' is not a whole number; write e.g. " + key + "=" + defaultValue);
        }
    }

    boolean bool(String key) {
        String v = optional(key);
        if (v == null) {
            v = documentedDefault(key);
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new InvalidConfigurationException(key, "'" + v + "' is not a boolean; write " + key + "=true or " + key + "=false");
    }

    int positiveInt(String key) {
        long n = positiveLong(key);
        if (n > Integer.MAX_VALUE) {
            throw new InvalidConfigurationException(key, "is too large (" + n + "); write e.g. " + key + "=" + documentedDefault(key));
        }
        return (int) n;
    }

    double fraction(String key) {
        String defaultValue = documentedDefault(key);
        String v = optional(key);
        if (v == null) {
            v = defaultValue;
        }
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(key, "'" + v + "' is not a number; write a fraction such as " + defaultValue);
        }
        if (!(d > 0 && d <= 1)) {
            throw new InvalidConfigurationException(key, "must be above 0 and at most 1, got " + v + "; write e.g. " + key + "=" + defaultValue);
        }
        return d;
    }

    <E extends Enum<E>> E oneOf(String key, Class<E> type) {
        String v = optional(key);
        if (v == null) {
            v = documentedDefault(key);
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v.replace('-', '_'))) {
                return e;
            }
        }
        List<String> allowed = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
        throw new InvalidConfigurationException(key, "unknown value '" + v + "'; write one of " + String.join(", ", allowed));
    }

    /** An absolute http(s) URL, or null when not set. */
    URI httpUrl(String key) {
        String v = optional(key);
        if (v == null) {
            return null;
        }
        try {
            URI uri = new URI(v);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || uri.getHost() == null) {
                throw new InvalidConfigurationException(key, "'" + v + "' is not an absolute http(s) URL; write e.g. https://api.mypurecloud.com");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException(key, "'" + v + "' is not a valid URL (" + e.getReason() + "); write e.g. https://api.mypurecloud.com");
        }
    }

    /** A DNS host name (what a CNAME can hold), or null when not set. */
    String hostName(String key, String example) {
        String v = optional(key);
        if (v == null) {
            return null;
        }
        if (v.regionMatches(true, 0, "sip:", 0, 4) || v.regionMatches(true, 0, "sips:", 0, 5) || v.contains("://")) {
            throw new InvalidConfigurationException(key, "'" + v + "' is a URI, but a CNAME holds a host name only; write e.g. " + key + "=" + example);
        }
        if (!HOST_NAME.matcher(v).matches()) {
            throw new InvalidConfigurationException(key, "'" + v + "' is not a host name; write e.g. " + key + "=" + example);
        }
        return v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
    }

    /** A comma-separated list; absent or blank is empty. */
    List<String> list(String key) {
        return split(optional(key));
    }

    /** A comma-separated list; absent or blank is the documented default. */
    List<String> listOrDefault(String key) {
        List<String> v = list(key);
        return v.isEmpty() ? split(documentedDefault(key)) : v;
    }

    private static List<String> split(String v) {
        if (v == null) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * A comma-separated list of IP addresses, each with an optional port: "198.51.100.53", "198.51.100.53:5353",
     * "[2001:db8::53]:53". Addresses only, never names: resolving a name here would be a DNS lookup at start-up.
     */
    List<InetSocketAddress> ipAddresses(String key, int defaultPort, String what, String example) {
        return list(key).stream().map(entry -> ipAddress(key, entry, defaultPort, what, example)).toList();
    }

    private static InetSocketAddress ipAddress(String key, String entry, int defaultPort, String what, String example) {
        String host = entry;
        String port = null;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            host = close < 0 ? entry : entry.substring(1, close);
            String rest = close < 0 ? "" : entry.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw badAddress(key, entry, what, example);
                }
                port = rest.substring(1);
            }
        } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
            host = entry.substring(0, entry.indexOf(':'));
            port = entry.substring(entry.indexOf(':') + 1);
        }
        if (!(IPV4.matcher(host).matches() || host.contains(":"))) {
            throw badAddress(key, entry, what, example);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port == null ? defaultPort : port(key, entry, port, what, example));
        } catch (UnknownHostException e) { // an IPv6 literal that does not parse
            throw badAddress(key, entry, what, example);
        }
    }

    private static int port(String key, String entry, String text, String what, String example) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw badAddress(key, entry, what, example);
    }

    /** @param what what the key lists, e.g. "resolver address" */
    private static InvalidConfigurationException badAddress(String key, String entry, String what, String example) {
        return new InvalidConfigurationException(key, "'" + entry + "' is not a " + what + "; write IP addresses, each"
                + " with an optional port, e.g. " + key + "=" + example);
    }
}
