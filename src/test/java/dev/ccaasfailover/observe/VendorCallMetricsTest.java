package dev.ccaasfailover.observe;

import com.sun.net.httpserver.HttpServer;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VendorCallMetricsTest {

    @Test
    void everyExchangeIsCountedByPlatformMethodAndStatusAndNoAnswerAsError() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", e -> {
            int status = e.getRequestURI().getPath().equals("/busy") ? 429 : 200;
            e.sendResponseHeaders(status, -1);
            e.close();
        });
        server.start();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VendorCallMetrics metrics = new VendorCallMetrics();
        HttpClient http = metrics.meter("nice", () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            http.send(HttpRequest.newBuilder(URI.create(base + "/ok")).build(), HttpResponse.BodyHandlers.discarding());
            metrics.bind(registry); // before this, nothing is recorded (and nothing fails)
            http.send(HttpRequest.newBuilder(URI.create(base + "/ok")).build(), HttpResponse.BodyHandlers.discarding());
            http.send(HttpRequest.newBuilder(URI.create(base + "/busy")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding());
            http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/busy")).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).get();
        } finally {
            server.stop(0);
        }
        int closed = RunningMiddleware.freePort();
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed + "/")).build(),
                HttpResponse.BodyHandlers.discarding())).isInstanceOf(IOException.class);

        assertThat(count(registry, "GET", "200")).isEqualTo(1);
        assertThat(count(registry, "PUT", "429")).isEqualTo(2);
        assertThat(count(registry, "GET", "error")).isEqualTo(1);
        assertThat(registry.find("failover.vendor.requests").timers()).hasSize(3);
    }

    private static long count(SimpleMeterRegistry registry, String method, String status) {
        Timer t = registry.find("failover.vendor.requests").tags("platform", "nice", "method", method, "status", status).timer();
        return t == null ? 0 : t.count();
    }
}
