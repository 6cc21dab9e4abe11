package dev.ccaasfailover.testsupport;

import dev.ccaasfailover.Application;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The real middleware, started the way the launcher starts it (application.properties, routes/*.camel.yaml from
 * the working directory), on a free loopback port shared by business HTTP and management, with a fresh embedded
 * store and known role tokens.
 */
public final class RunningMiddleware implements AutoCloseable {

    public static final String ADMIN_TOKEN = "test-admin-token";
    public static final String CONTEXT_TOKEN = "test-context-token";
    public static final String INGEST_TOKEN = "test-ingest-token";

    private final Main main;
    private final int port;
    private final Path dataDir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private RunningMiddleware(Main main, int port, Path dataDir) {
        this.main = main;
        this.port = port;
        this.dataDir = dataDir;
    }

    public static RunningMiddleware start(Map<String, String> overrides) throws Exception {
        return start(overrides, Map.of(), null);
    }

    /**
     * @param beans   bound before start-up, so the configuration uses them instead of its own (e.g. snsCertificates)
     * @param dataDir an existing store folder (a restart), or null for a fresh one
     */
    public static RunningMiddleware start(Map<String, String> overrides, Map<String, Object> beans, Path dataDir)
            throws Exception {
        int port = freePort();
        Map<String, String> props = new HashMap<>();
        if (dataDir == null) {
            dataDir = Files.createTempDirectory("ccaas-failover-test");
        }
        props.put("failover.store.data-dir", dataDir.toString());
        props.put("camel.server.port", String.valueOf(port));
        props.put("camel.management.port", String.valueOf(port));
        props.put("camel.server.host", "127.0.0.1");
        props.put("camel.management.host", "127.0.0.1");
        props.put("failover.security.token.admin", ADMIN_TOKEN);
        props.put("failover.security.token.context", CONTEXT_TOKEN);
        props.put("failover.security.token.ingest", INGEST_TOKEN);
        props.putAll(overrides);
        Main main = Application.newMain(props);
        beans.forEach(main::bind);
        main.start();
        return new RunningMiddleware(main, port, dataDir);
    }

    /**
     * The middleware's configuration for the simulated site, with the health probes and the DNS step switched off:
     * for tests of what the vendor APIs do, undisturbed by health decisions.
     */
    public static Map<String, String> vendorsOnly(dev.ccaasfailover.simulator.Simulators sims) {
        Map<String, String> p = new HashMap<>(sims.middlewareProperties());
        for (String platform : java.util.List.of("genesys", "nice")) {
            p.put("failover.platform." + platform + ".api-health-url", "");
            p.put("failover.platform." + platform + ".sip-uri", "");
        }
        p.put("failover.dns.provider", "none");
        return p;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** How many exchanges a route has completed (from Camel's management statistics). */
    public long exchangesCompleted(String routeId) {
        var managed = context().getCamelContextExtension().getContextPlugin(org.apache.camel.api.management.ManagedCamelContext.class)
                .getManagedRoute(routeId);
        return managed == null ? 0 : managed.getExchangesCompleted();
    }

    public Path dataDir() {
        return dataDir;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String token, String body) throws IOException, InterruptedException {
        return post(path, token, body, Map.of());
    }

    public HttpResponse<String> post(String path, String token, String body, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        main.stop();
    }
}
