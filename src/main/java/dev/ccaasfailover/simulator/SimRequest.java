package dev.ccaasfailover.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An incoming request as the simulators' handlers see it: decoded query parameters, case-insensitive
 * headers and the body as text.
 *
 * @param rawPath the path as sent, still percent-encoded (Route 53 ids may carry an encoded slash)
 */
public record SimRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                         String body) {

    public SimRequest {
        TreeMap<String, List<String>> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> caseInsensitive.put(name, List.copyOf(values)));
        headers = java.util.Collections.unmodifiableMap(caseInsensitive);
        body = body == null ? "" : body;
    }

    /** The decoded path. */
    public String path() {
        return decode(rawPath);
    }

    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    public Map<String, List<String>> queryParams() {
        return parseUrlEncoded(rawQuery);
    }

    /** The first value of a query parameter, or null. */
    public String param(String name) {
        List<String> values = queryParams().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /**
     * A whole-number query parameter, or {@code fallback} when absent.
     *
     * @param errorCode the vendor's error code for a 400 when the value is not a number
     */
    public int intParam(String name, int fallback, String errorCode) {
        String value = param(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new SimHttpException(400, errorCode, name + " is not a number: " + value);
        }
    }

    /** Every value of a query parameter, in order (empty when absent). */
    public List<String> params(String name) {
        return queryParams().getOrDefault(name, List.of());
    }

    /** The body parsed as {@code application/x-www-form-urlencoded}. */
    public Map<String, List<String>> form() {
        return parseUrlEncoded(body);
    }

    public String formValue(String name) {
        List<String> values = form().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The bearer token of the Authorization header, if any. */
    public Optional<String> bearerToken() {
        String auth = header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(auth.substring(7).trim());
    }

    /** The user and password of an HTTP Basic Authorization header, if any and well formed. */
    public Optional<String[]> basicCredentials() {
        String auth = header("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static Map<String, List<String>> parseUrlEncoded(String text) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return result;
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodeForm(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeForm(pair.substring(eq + 1));
            result.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return result;
    }

    private static String decodeForm(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Percent-decoding for path segments: unlike form decoding, '+' stays a plus. */
    static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
