package dev.ccaasfailover.health;

import dev.ccaasfailover.security.OAuthTokenSource;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * API liveness: one authenticated GET in the platform's own region (Genesys: the organization of the token's client). A 2xx
 * is Up; no answer in time, a refused connection or a 5xx is Down. A 429 is Up: the platform answered, and it is
 * only asking us to slow down. A token endpoint or API that refuses our credentials is Unknown, not Down: that is
 * our configuration, not an outage, and must not move a contact center; so is any other 4xx (a wrong URL).
 */
public class ApiLivenessProber {

    private final URI healthUrl;
    private final OAuthTokenSource tokens;
    private final HttpClient http;

    public ApiLivenessProber(URI healthUrl, OAuthTokenSource tokens, HttpClient http) {
        this.healthUrl = healthUrl;
        this.tokens = tokens;
        this.http = http;
    }

    public Observation probe(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String token;
        try {
            token = tokens.token(timeout);
        } catch (HttpTimeoutException e) {
            return Observation.down("token endpoint did not answer in " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return Observation.down("token endpoint refused the connection");
        } catch (IOException e) {
            return Observation.unknown("no token: " + e.getMessage() + " (check the client id and secret)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Observation.unknown("interrupted");
        }
        Observation first = get(token, remaining(deadline));
        if (first.status() == HealthStatus.Unknown && first.reason().startsWith("401")) {
            // The platform may have dropped our token early: one retry with a fresh one.
            tokens.invalidate();
            try {
                return get(tokens.token(remaining(deadline)), remaining(deadline));
            } catch (IOException e) {
                return Observation.unknown("no token after a 401: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Observation.unknown("interrupted");
            }
        }
        return first;
    }

    private Observation get(String token, Duration timeout) {
        if (timeout.isZero() || timeout.isNegative()) {
            return Observation.down("no answer within the time-out");
        }
        HttpRequest request = HttpRequest.newBuilder(healthUrl)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .GET()
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            long rttMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
            int code = response.statusCode();
            if (code >= 200 && code < 300) {
                return Observation.up(rttMs, "GET answered " + code + " in " + rttMs + " ms");
            }
            if (code == 429) {
                return Observation.up(rttMs, "GET answered 429 (rate limited) in " + rttMs + " ms");
            }
            if (code == 401 || code == 403) {
                return Observation.unknown(code + " from the API: our credentials were refused (check client id, secret and scopes)");
            }
            if (code >= 500) {
                return Observation.down("GET answered " + code + " in " + rttMs + " ms");
            }
            return Observation.unknown("GET answered " + code + ": check failover.platform.*.api-health-url");
        } catch (HttpTimeoutException e) {
            return Observation.down("GET: no answer in " + timeout.toMillis() + " ms");
        } catch (ConnectException e) {
            return Observation.down("GET: connection refused");
        } catch (IOException e) {
            return Observation.down("GET failed: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Observation.unknown("interrupted");
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
