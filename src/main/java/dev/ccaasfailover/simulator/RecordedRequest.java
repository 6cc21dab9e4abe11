package dev.ccaasfailover.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One request a simulator received (admin {@code /__sim/*} requests are not recorded).
 *
 * @param path    the decoded path
 * @param query   the raw query string, or null
 * @param headers header names are matched case-insensitively
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                              String body, Instant at) {

    /** The first value of a header, or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
