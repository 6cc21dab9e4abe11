package dev.ccaasfailover.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.security.OAuthTokenSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * JSON over HTTP to one vendor, the way its limits demand: every attempt holds a slot of the vendor's
 * {@link RequestWindow} from its send until a window after its answer; a 429 pauses the window for Retry-After and is retried after Retry-After plus jitter (given up
 * above 180 s, like the Genesys SDK); 502/503/504 and no answer are retried with jittered exponential backoff; a 401
 * fetches a fresh OAuth token once. Other statuses fail the call at once.
 */
public final class VendorHttp {

    static final int MAX_RETRY_AFTER_SECONDS = 180;

    private final String vendor;
    private final String baseUrl;
    private final OAuthTokenSource tokens;
    private final HttpClient http;
    private final RequestWindow window;
    private final int maxRetries;
    private final Duration timeout;
    private final Clock clock;
    private final RequestWindow.Sleeper sleeper;
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();

    public VendorHttp(String vendor, String baseUrl, OAuthTokenSource tokens, HttpClient http, RequestWindow window,
                      int maxRetries, Duration timeout, Clock clock, RequestWindow.Sleeper sleeper) {
        this.vendor = vendor;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokens = tokens;
        this.http = http;
        this.window = window;
        this.maxRetries = maxRetries;
        this.timeout = timeout;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** {@code http} itself, or, when the vendor is not configured (null), a failure that says which keys to set. */
    public static VendorHttp required(VendorHttp http, String vendor) {
        if (http == null) {
            throw new VendorCallException(0, vendor + " is not configured: set failover.platform." + vendor
                    + ".base-url and token-url (and its credentials)");
        }
        return http;
    }

    public JsonNode get(String pathAndQuery) {
        return call("GET", pathAndQuery, null);
    }

    /** Requests sent so far (every attempt) and 429s received. */
    public long requests() {
        return requests.get();
    }

    public long throttled() {
        return throttled.get();
    }

    public JsonNode call(String method, String pathAndQuery, Object body) {
        boolean refreshedToken = false;
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response;
            RequestWindow.Permit permit = null;
            try {
                permit = window.acquire();
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(timeout)
                        .header("Authorization", "Bearer " + tokens.token(timeout)).header("Accept", "application/json");
                if (body == null) {
                    b.method(method, HttpRequest.BodyPublishers.noBody());
                } else {
                    b.header("Content-Type", "application/json")
                            .method(method, HttpRequest.BodyPublishers.ofString(Json.VENDOR.writeValueAsString(body)));
                }
                requests.incrementAndGet();
                response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VendorCallException(0, vendor + " " + method + " " + path(pathAndQuery) + ": interrupted");
            } catch (IOException e) {
                permit.release(); // not held through the backoff
                if (attempt < maxRetries) {
                    backoff(attempt);
                    continue;
                }
                throw new VendorCallException(0, vendor + " " + method + " " + path(pathAndQuery) + ": no answer after "
                        + (attempt + 1) + " attempts (" + e.getClass().getSimpleName() + ")");
            } finally {
                if (permit != null) {
                    permit.release();
                }
            }
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return parse(response.body());
            }
            if (status == 429) {
                throttled.incrementAndGet();
                long retryAfter = response.headers().firstValue("Retry-After").map(VendorHttp::seconds).orElse(1L);
                if (attempt >= maxRetries || retryAfter > MAX_RETRY_AFTER_SECONDS) {
                    throw new VendorCallException(429, vendor + " " + method + " " + path(pathAndQuery) + ": rate limited (Retry-After "
                            + retryAfter + " s) after " + (attempt + 1) + " attempts");
                }
                window.pauseUntil(clock.instant().plusSeconds(retryAfter));
                long jitterMs = ThreadLocalRandom.current().nextLong(0, Math.min(1000, 250 * retryAfter) + 1);
                sleep(Duration.ofSeconds(retryAfter).plusMillis(jitterMs));
                continue;
            }
            if (status == 401 && !refreshedToken) {
                refreshedToken = true;
                tokens.invalidate();
                continue;
            }
            if ((status == 502 || status == 503 || status == 504) && attempt < maxRetries) {
                backoff(attempt);
                continue;
            }
            throw new VendorCallException(status, vendor + " " + method + " " + path(pathAndQuery) + " answered " + status
                    + message(response.body()));
        }
    }

    private void backoff(int attempt) {
        long capMs = Math.min(10_000, 200L << Math.min(attempt, 10));
        sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(capMs / 2, capMs + 1)));
    }

    private void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VendorCallException(0, vendor + ": interrupted while backing off");
        }
    }

    private static long seconds(String header) {
        try {
            return Math.max(0, Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return NullNode.getInstance();
        }
        try {
            return Json.VENDOR.readTree(body);
        } catch (IOException e) {
            throw new VendorCallException(200, "answer is not JSON");
        }
    }

    private static String message(String body) {
        try {
            JsonNode j = Json.VENDOR.readTree(body == null ? "" : body);
            String m = j == null ? null : j.path("message").asText(j.path("error_description").asText(null));
            return m == null || m.isBlank() ? "" : ": " + (m.length() > 200 ? m.substring(0, 200) : m);
        } catch (IOException e) {
            return "";
        }
    }

    /** The path without its query, for messages (queries may carry e-mails). */
    private static String path(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        return q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    }
}
