package dev.ccaasfailover.security;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * A bearer token for one platform, fetched from its OAuth token endpoint, cached, and fetched again before it
 * expires (at 80 % of {@code expires_in}, and at least 30 s early). Genesys: client-credentials grant with the
 * client id and secret as HTTP Basic. NICE: password grant with the access key as username/password and the app's
 * client id and secret as HTTP Basic (docs/vendor-apis.md §1, §5). Tokens are never logged.
 *
 * <p>One source per platform is shared by every caller (health probe, trunk switch, agent sync): one fetch at a time,
 * and a caller waits for a running fetch no longer than its own time-out, so a hung token endpoint cannot hold the
 * health probe past its deadline because the agent sync asked first.
 */
public class OAuthTokenSource {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokenSource.class);

    private final String name;
    private final URI tokenUrl;
    private final String basicAuth;
    private final Map<String, String> form;
    private final HttpClient http;
    private final Clock clock;

    private record Cached(String token, Instant refreshAt) {
    }

    private final ReentrantLock fetching = new ReentrantLock();
    private volatile Cached cached;

    private OAuthTokenSource(String name, URI tokenUrl, String clientId, String clientSecret, Map<String, String> form,
                             HttpClient http, Clock clock) {
        this.name = name;
        this.tokenUrl = tokenUrl;
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString(
                ((clientId == null ? "" : clientId) + ":" + (clientSecret == null ? "" : clientSecret)).getBytes(StandardCharsets.UTF_8));
        this.form = form;
        this.http = http;
        this.clock = clock;
    }

    /** Genesys Cloud: {@code grant_type=client_credentials}. */
    public static OAuthTokenSource clientCredentials(String name, URI tokenUrl, String clientId, String clientSecret,
                                                     HttpClient http, Clock clock) {
        return new OAuthTokenSource(name, tokenUrl, clientId, clientSecret, Map.of("grant_type", "client_credentials"), http, clock);
    }

    /** NICE CXone back-end integrations: {@code grant_type=password} with the access key. */
    public static OAuthTokenSource passwordGrant(String name, URI tokenUrl, String clientId, String clientSecret,
                                                 String accessKeyId, String accessKeySecret, HttpClient http, Clock clock) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("username", accessKeyId == null ? "" : accessKeyId);
        form.put("password", accessKeySecret == null ? "" : accessKeySecret);
        return new OAuthTokenSource(name, tokenUrl, clientId, clientSecret, form, http, clock);
    }

    /** A valid token, from the cache or fresh from the token endpoint. */
    public String token(Duration timeout) throws IOException, InterruptedException {
        Cached c = cached;
        if (c != null && clock.instant().isBefore(c.refreshAt())) {
            return c.token();
        }
        if (!fetching.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new HttpTimeoutException(name + " token endpoint: the fetch under way did not finish in "
                    + timeout.toMillis() + " ms");
        }
        try {
            c = cached;
            if (c != null && clock.instant().isBefore(c.refreshAt())) {
                return c.token(); // fetched by the caller we waited for
            }
            return fetch(timeout);
        } finally {
            fetching.unlock();
        }
    }

    /** Drops the cached token, e.g. after a 401 that says the platform no longer accepts it. */
    public void invalidate() {
        cached = null;
    }

    private String fetch(Duration timeout) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(tokenUrl)
                .timeout(timeout)
                .header("Authorization", basicAuth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(name + " token endpoint answered " + response.statusCode());
        }
        JsonNode json = Json.VENDOR.readTree(response.body());
        String accessToken = json.path("access_token").asText(null);
        if (accessToken == null || accessToken.isEmpty()) {
            throw new IOException(name + " token endpoint answered 200 without an access_token");
        }
        long expiresIn = json.path("expires_in").asLong(300);
        long early = Math.max(30, expiresIn / 5);
        Instant now = clock.instant();
        Instant refreshAt = now.plusSeconds(Math.max(1, expiresIn - early));
        cached = new Cached(accessToken, refreshAt);
        LOG.debug("{} token fetched, valid {} s, refreshed after {}", name, expiresIn, refreshAt);
        return accessToken;
    }
}
