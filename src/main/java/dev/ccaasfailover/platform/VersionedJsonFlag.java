package dev.ccaasfailover.platform;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.runbook.StepFailedException;
import dev.ccaasfailover.security.OAuthTokenSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A boolean inside versioned JSON resources of one platform (e.g. Genesys trunk base settings), switched the way the
 * vendor's own tooling does it (Genesys' terraform provider): GET the object, set the flag, PUT back only the writable
 * fields just read with the {@code version} just read. A stale version (409, 408, or 400 "does not match the current
 * version": the provider's {@code IsVersionMismatch}) re-reads and tries again, {@value #CONFLICT_RETRIES} times at
 * most. Which resources, which read query, which fields and which flag is the caller's knowledge (the route file
 * {@code platform-<vendor>.camel.yaml}); this class only knows HTTP, JSON and OAuth.
 */
public class VersionedJsonFlag {

    private static final Logger LOG = LoggerFactory.getLogger(VersionedJsonFlag.class);
    static final int CONFLICT_RETRIES = 5;

    private final String platform;
    private final URI baseUrl;
    private final List<String> ids;
    private final OAuthTokenSource tokens;
    private final HttpClient http;
    private final Duration timeout;

    public VersionedJsonFlag(String platform, URI baseUrl, List<String> ids, OAuthTokenSource tokens, HttpClient http,
                             Duration timeout) {
        this.platform = platform;
        this.baseUrl = baseUrl;
        this.ids = List.copyOf(ids);
        this.tokens = tokens;
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * The flag of every configured resource: id → value.
     *
     * @param readQuery the GET's query, e.g. {@code ?ignoreHidden=true}, or ""
     */
    public Map<String, Boolean> read(String pathTemplate, String readQuery, String flagPointer) throws IOException, InterruptedException {
        requireConfigured();
        Map<String, Boolean> values = new LinkedHashMap<>();
        for (String id : ids) {
            values.put(id, flag(get(pathTemplate + readQuery, id), flagPointer, id));
        }
        return values;
    }

    /**
     * Sets the flag on every configured resource that does not hold it yet; returns what it did, per resource.
     *
     * @param putFields comma-separated top-level fields the PUT carries over from the GET (the flag must be inside one)
     */
    public String set(String pathTemplate, String readQuery, String putFields, String flagPointer, boolean value)
            throws IOException, InterruptedException {
        requireConfigured();
        List<String> fields = Arrays.stream(putFields.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
        List<String> done = new ArrayList<>();
        for (String id : ids) {
            done.add(setOne(pathTemplate, readQuery, fields, flagPointer, value, id));
        }
        return String.join("; ", done);
    }

    public boolean configured() {
        return baseUrl != null && !ids.isEmpty();
    }

    private void requireConfigured() {
        if (!configured()) {
            throw StepFailedException.notSupported(platform + ": no base URL or no resource ids configured");
        }
    }

    private String setOne(String pathTemplate, String readQuery, List<String> fields, String flagPointer, boolean value,
                          String id) throws IOException, InterruptedException {
        for (int attempt = 0; attempt <= CONFLICT_RETRIES; attempt++) {
            JsonNode current = get(pathTemplate + readQuery, id);
            if (flag(current, flagPointer, id) == value) {
                return id + " already " + value;
            }
            long version = current.path("version").asLong();
            ObjectNode updated = Json.VENDOR.createObjectNode();
            fields.stream().filter(current::has).forEach(f -> updated.set(f, current.get(f).deepCopy()));
            setAt(updated, flagPointer, value, id);
            HttpResponse<String> r = send("PUT", pathTemplate, id, Json.VENDOR.writeValueAsString(updated));
            if (r.statusCode() == 200 || r.statusCode() == 202) {
                LOG.info("{} {} {} set to {} (version {})", platform, id, flagPointer, value, version);
                return id + " set to " + value + " (version " + version + " → " + Json.VENDOR.readTree(r.body()).path("version").asText("?") + ")";
            }
            if (!versionMismatch(r)) {
                throw failure("PUT", id, r);
            }
            LOG.info("{} {}: version {} was stale ({}); re-reading", platform, id, version, r.statusCode());
        }
        throw new StepFailedException(platform + " " + id + ": version still stale after " + CONFLICT_RETRIES + " re-reads", true);
    }

    /** What Genesys' terraform provider treats as a stale version (util_retries.go, IsVersionMismatch). */
    static boolean versionMismatch(HttpResponse<String> r) {
        int status = r.statusCode();
        if (status == 409 || status == 408) {
            return true;
        }
        if (status != 400 || r.body() == null) {
            return false;
        }
        try {
            return Json.VENDOR.readTree(r.body()).path("message").asText("").contains("does not match the current version");
        } catch (IOException e) {
            return false;
        }
    }

    private JsonNode get(String pathTemplate, String id) throws IOException, InterruptedException {
        HttpResponse<String> r = send("GET", pathTemplate, id, null);
        if (r.statusCode() != 200) {
            throw failure("GET", id, r);
        }
        return Json.VENDOR.readTree(r.body());
    }

    private HttpResponse<String> send(String method, String pathTemplate, String id, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = sendOnce(method, pathTemplate, id, body);
        if (r.statusCode() == 401) {
            tokens.invalidate(); // a revoked or expired token: fetch a fresh one once
            r = sendOnce(method, pathTemplate, id, body);
        }
        return r;
    }

    private HttpResponse<String> sendOnce(String method, String pathTemplate, String id, String body) throws IOException, InterruptedException {
        URI uri = baseUrl.resolve(pathTemplate.replace("{id}", java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8)));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Authorization", "Bearer " + tokens.token(timeout))
                .header("Accept", "application/json");
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private StepFailedException failure(String method, String id, HttpResponse<String> r) {
        String body = r.body() == null ? "" : r.body();
        return new StepFailedException(platform + " " + method + " " + id + " answered " + r.statusCode() + ": "
                + (body.length() > 200 ? body.substring(0, 200) : body), r.statusCode() != 404);
    }

    private boolean flag(JsonNode resource, String pointer, String id) {
        JsonNode v = resource.at(pointer);
        if (!v.isBoolean()) {
            throw new StepFailedException(platform + " " + id + ": no boolean at " + pointer, false);
        }
        return v.asBoolean();
    }

    private static void setAt(ObjectNode root, String pointer, boolean value, String id) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = root.at(p.head());
        if (!(parent instanceof ObjectNode obj)) {
            throw new StepFailedException(id + ": no object at " + p.head(), false);
        }
        obj.put(p.last().getMatchingProperty(), value);
    }
}
