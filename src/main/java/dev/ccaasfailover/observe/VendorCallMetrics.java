package dev.ccaasfailover.observe;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.util.function.Suppliers;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Timer {@code failover.vendor.requests} ({@code failover_vendor_requests_seconds_*} on /observe/metrics) with tags
 * {@code platform}, {@code method} and {@code status}: the HTTP status of every call to a vendor (OAuth token, health
 * probe, trunk switch, agent sync, login watch, capacity poll), {@code error} when no answer came (refused,
 * time-out). Recorded in one place, the platform's shared HTTP client, so that no caller can be missed.
 * The registry exists only once Camel has started: calls before that are not recorded.
 */
public final class VendorCallMetrics {

    private volatile MeterRegistry registry;

    public void bind(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * The platform's HTTP client, recording every exchange it carries, made on first use: a JDK HttpClient loads the
     * TLS stack and the trust store when it is built (some 500 classes and a few hundred milliseconds), which a
     * platform nobody calls yet should not cost at start-up.
     */
    public HttpClient meter(String platform, Supplier<HttpClient> factory) {
        return new Metered(platform, factory);
    }

    void record(String platform, String method, String status, long nanos) {
        MeterRegistry r = registry;
        if (r != null) {
            Timer.builder("failover.vendor.requests").description("Calls to a vendor's API by HTTP status ('error': no answer)")
                    .tags("platform", platform, "method", method, "status", status).register(r).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Delegates everything; {@code send} and {@code sendAsync} also record the outcome. */
    private final class Metered extends HttpClient {
        private final String platform;
        private final Supplier<HttpClient> client;

        Metered(String platform, Supplier<HttpClient> factory) {
            this.platform = platform;
            this.client = Suppliers.memorize(factory);
        }

        private HttpClient http() {
            return client.get();
        }

        @Override
        public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
            long start = System.nanoTime();
            String status = "error";
            try {
                HttpResponse<T> response = http().send(request, handler);
                status = String.valueOf(response.statusCode());
                return response;
            } finally {
                record(platform, request.method(), status, System.nanoTime() - start);
            }
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
            return recorded(request, System.nanoTime(), http().sendAsync(request, handler));
        }

        @Override
        public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> push) {
            return recorded(request, System.nanoTime(), http().sendAsync(request, handler, push));
        }

        private <T> CompletableFuture<HttpResponse<T>> recorded(HttpRequest request, long start, CompletableFuture<HttpResponse<T>> f) {
            return f.whenComplete((response, error) -> record(platform, request.method(),
                    response == null ? "error" : String.valueOf(response.statusCode()), System.nanoTime() - start));
        }

        @Override public Optional<CookieHandler> cookieHandler() { return http().cookieHandler(); }
        @Override public Optional<Duration> connectTimeout() { return http().connectTimeout(); }
        @Override public Redirect followRedirects() { return http().followRedirects(); }
        @Override public Optional<ProxySelector> proxy() { return http().proxy(); }
        @Override public SSLContext sslContext() { return http().sslContext(); }
        @Override public SSLParameters sslParameters() { return http().sslParameters(); }
        @Override public Optional<Authenticator> authenticator() { return http().authenticator(); }
        @Override public Version version() { return http().version(); }
        @Override public Optional<Executor> executor() { return http().executor(); }
    }
}
