package dev.ccaasfailover.carrier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The origination URLs of one Twilio Elastic SIP trunk (docs/vendor-apis.md §7): list (every page), create, update
 * and delete, form-encoded with HTTP Basic auth (an API Key SID + secret, or the Account SID + Auth Token).
 *
 * <p>No retries: a create is not idempotent, so a failed write is reported and the caller reads the trunk again and
 * plans from what it sees ({@link CarrierShape#plan}), which is safe to repeat.
 */
public final class TwilioTrunk {

    /** Twilio's production base; tests give the simulator's. */
    public static final String PRODUCTION_BASE_URL = "https://trunking.twilio.com/v1";
    static final int PAGE_SIZE = 50;
    /** A trunk holds a handful of URLs; a longer chain of pages means a loop, not data. */
    private static final int MAX_PAGES = 100;

    private final HttpClient http;
    private final String baseUrl;
    private final String trunkSid;
    private final String authorization;
    private final Duration timeout;

    /**
     * @param baseUrl  e.g. {@link #PRODUCTION_BASE_URL}
     * @param username an API Key SID ({@code SK…}) or the Account SID ({@code AC…})
     * @param secret   the API key's secret or the Auth Token
     */
    public TwilioTrunk(HttpClient http, String baseUrl, String trunkSid, String username, String secret, Duration timeout) {
        this.http = Objects.requireNonNull(http, "http");
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.trunkSid = Objects.requireNonNull(trunkSid, "trunkSid");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    public String trunkSid() {
        return trunkSid;
    }

    /** Every origination URL of the trunk, following {@code meta.next_page_url} until it is null. */
    public List<OriginationUrl> list() {
        List<OriginationUrl> all = new ArrayList<>();
        String pageUrl = collectionUrl() + "?PageSize=" + PAGE_SIZE;
        for (int pages = 0; pageUrl != null; pages++) {
            if (pages == MAX_PAGES) {
                throw new TwilioCallException(0, 0, "Twilio GET " + collectionPath() + ": more than " + MAX_PAGES + " pages");
            }
            JsonNode page = send("GET", requireSameOrigin(pageUrl), null);
            for (JsonNode item : page.path("origination_urls")) {
                all.add(parse(item));
            }
            JsonNode next = page.path("meta").path("next_page_url");
            pageUrl = next.isTextual() && !next.asText().isEmpty() ? next.asText() : null;
        }
        return List.copyOf(all);
    }

    public OriginationUrl create(String friendlyName, String sipUrl, int priority, int weight, boolean enabled) {
        OriginationUrlChange all = OriginationUrlChange.none().friendlyName(friendlyName).sipUrl(sipUrl)
                .priority(priority).weight(weight).enabled(enabled);
        return parse(send("POST", collectionUrl(), all.formParameters()));
    }

    /** Sets only the fields the change names; the others keep their values on Twilio. */
    public OriginationUrl update(String sid, OriginationUrlChange change) {
        return parse(send("POST", itemUrl(sid), change.formParameters()));
    }

    public void delete(String sid) {
        send("DELETE", itemUrl(sid), null);
    }

    private String collectionPath() {
        return "/Trunks/" + segment(trunkSid) + "/OriginationUrls";
    }

    private String collectionUrl() {
        return baseUrl + collectionPath();
    }

    private String itemUrl(String sid) {
        return collectionUrl() + "/" + segment(sid);
    }

    private static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A next_page_url on another host would receive our Basic credentials: only follow links back to our base. */
    private String requireSameOrigin(String url) {
        URI base = URI.create(baseUrl);
        URI target = URI.create(url);
        boolean same = Objects.equals(base.getScheme(), target.getScheme())
                && Objects.equals(base.getHost(), target.getHost()) && base.getPort() == target.getPort();
        if (!same) {
            throw new TwilioCallException(0, 0, "Twilio answered a page link to another origin (" + target.getScheme()
                    + "://" + target.getHost() + "); not followed");
        }
        return url;
    }

    private JsonNode send(String method, String url, Map<String, String> form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Authorization", authorization).header("Accept", "application/json");
        if (form == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, HttpRequest.BodyPublishers.ofString(encode(form)));
        }
        String described = "Twilio " + method + " " + URI.create(url).getPath();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TwilioCallException(0, 0, described + ": interrupted");
        } catch (IOException e) {
            throw new TwilioCallException(0, 0, described + ": no answer (" + e.getClass().getSimpleName() + ")");
        }
        int status = response.statusCode();
        if (status == 204) {
            return null;
        }
        JsonNode body = readJson(response.body());
        if (status >= 200 && status < 300 && body != null) {
            return body;
        }
        int code = body == null ? 0 : body.path("code").asInt(0);
        String message = body == null ? "" : body.path("message").asText("");
        throw new TwilioCallException(status, code, described + " answered " + status
                + (code == 0 ? "" : " (Twilio code " + code + ")") + (message.isEmpty() ? "" : ": " + message));
    }

    private static JsonNode readJson(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Json.VENDOR.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static OriginationUrl parse(JsonNode item) {
        if (item == null || !item.path("sid").isTextual()) {
            throw new TwilioCallException(0, 0, "Twilio answered an origination URL without a sid");
        }
        return new OriginationUrl(item.path("sid").asText(), item.path("friendly_name").asText(null),
                item.path("sip_url").asText(null), item.path("priority").asInt(), item.path("weight").asInt(),
                item.path("enabled").asBoolean());
    }
}
