package dev.ccaasfailover.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.Application;
import dev.ccaasfailover.http.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.concurrent.TimeUnit;

/**
 * The middleware in a JVM of its own, started as the launcher is ({@code java -cp <test classpath>
 * dev.ccaasfailover.Application}, configuration by {@code -D}) from the project folder, its log in
 * {@code target/processes/<name>.log}. {@link #kill} is SIGKILL on Linux: no shutdown hook, no graceful stop.
 */
public final class ClasspathMiddlewareProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ClasspathMiddlewareProcess(String name, Process process, int port, Path log) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the JVM (not waiting for it to serve: {@link #awaitReady}); its instance id is {@code name}. */
    public static ClasspathMiddlewareProcess start(String name, Map<String, String> properties) throws IOException {
        int port = RunningMiddleware.freePort();
        Path logs = Files.createDirectories(Path.of("target", "processes"));
        Path log = logs.resolve(name + "-" + System.currentTimeMillis() + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a small heap, the serial collector and C1 only: quick to start on a busy 2-core machine
        cmd.addAll(List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        cmd.add("-Daws.accessKeyId=" + MotoServer.ACCESS_KEY);
        cmd.add("-Daws.secretAccessKey=" + MotoServer.SECRET_KEY);
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add("-Dfailover.health.instance-id=" + name);
        cmd.add("-Dcamel.server.port=" + port);
        cmd.add("-Dcamel.management.port=" + port);
        cmd.add("-Dcamel.server.host=127.0.0.1");
        cmd.add("-Dcamel.management.host=127.0.0.1");
        cmd.add("-Dfailover.security.token.admin=" + RunningMiddleware.ADMIN_TOKEN);
        cmd.add("-Dfailover.security.token.context=" + RunningMiddleware.CONTEXT_TOKEN);
        cmd.add("-Dfailover.security.token.ingest=" + RunningMiddleware.INGEST_TOKEN);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Application.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ClasspathMiddlewareProcess(name, p, port, log);
    }

    /** Waits until GET /status answers 200. */
    public ClasspathMiddlewareProcess awaitReady(Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before serving:\n" + logText());
            }
            try {
                if (get("/status").statusCode() == 200) {
                    return this;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " did not serve GET /status within " + atMost + ":\n" + logText());
    }

    public String name() {
        return name;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + RunningMiddleware.ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError(name + ": GET " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + RunningMiddleware.ADMIN_TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL, and waits for the process to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " still alive 10 s after SIGKILL");
        }
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path log() {
        return log;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** SIGTERM (graceful), then SIGKILL if it lingers. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
