package dev.ccaasfailover.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built jar ({@code target/ccaas-failover.jar}) in its own JVM, as an operator runs it, with {@code -D}
 * overrides, business HTTP and management on one free loopback port, its output in a log file.
 * {@link #kill()} is {@code Process.destroyForcibly}: SIGKILL on Linux, no shutdown hook runs.
 */
public final class MiddlewareProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MiddlewareProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static MiddlewareProcess start(String name, Map<String, String> properties, Path logDir) throws IOException {
        Path jar = Path.of("target", "ccaas-failover.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn verify (the package phase builds it)");
        }
        int port = RunningMiddleware.freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        for (String[] kv : new String[][] {
                {"camel.server.port", String.valueOf(port)}, {"camel.management.port", String.valueOf(port)},
                {"camel.server.host", "127.0.0.1"}, {"camel.management.host", "127.0.0.1"},
                {"failover.security.token.admin", RunningMiddleware.ADMIN_TOKEN},
                {"failover.security.token.context", RunningMiddleware.CONTEXT_TOKEN},
                {"failover.security.token.ingest", RunningMiddleware.INGEST_TOKEN},
                {"failover.health.instance-id", name}}) {
            cmd.add("-D" + kv[0] + "=" + kv[1]);
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new MiddlewareProcess(name, p, port, log);
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** GET /status as JSON, or null while the instance does not answer. */
    public JsonNode status() {
        return getJson("/status");
    }

    public JsonNode getJson(String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + RunningMiddleware.ADMIN_TOKEN)
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** "leader", "follower", or null while it does not answer. */
    public String role() {
        JsonNode s = status();
        return s == null ? null : s.path("cluster").path("role").asText(null);
    }

    /** SIGKILL: the process gets no chance to release anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The last lines of its log, for an assertion message. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return name + " log (" + log + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return name + " log unreadable: " + e;
        }
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
