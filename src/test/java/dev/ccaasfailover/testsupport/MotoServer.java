package dev.ccaasfailover.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real moto_server (the AWS emulator) as a child process on a free local port, for tests of the DynamoDB,
 * Route 53, SNS and SQS adapters. Missing moto_server fails the test: a skipped AWS suite would hide a regression.
 *
 * One per test class through {@link MotoServerExtension}.
 *
 * Its output goes to {@code target/moto_server-<port>.log}.
 */
public final class MotoServer implements AutoCloseable {

    public static final String REGION = "us-east-1";
    /** moto accepts any credentials; these are for clients the tests build themselves. */
    public static final String ACCESS_KEY = "testing";
    public static final String SECRET_KEY = "testing";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static MotoServer start() {
        String executable = findOnPath("moto_server")
                .orElseThrow(() -> new IllegalStateException("moto_server not found: install moto[server]"));
        int port = freePort();
        Path log = Path.of("target", "moto_server-" + port + ".log").toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            MotoServer server = new MotoServer(process, port, log);
            server.awaitReady();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start moto_server: " + e.getMessage(), e);
        }
    }

    /** http://127.0.0.1:port, for endpointOverride. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public URI endpointUri() {
        return URI.create(endpoint());
    }

    public int port() {
        return port;
    }

    /** Forgets every resource in every service, so a test starts from an empty account. */
    public void reset() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto_server reset answered " + response.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto_server reset failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted resetting moto_server", e);
        }
    }

    @Override
    public void close() {
        // Also the children: a pyenv or venv wrapper may have started the Python process beneath it.
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                http.send(probe, HttpResponse.BodyHandlers.discarding());
                return; // any HTTP answer means it is serving
            } catch (IOException notYet) {
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("interrupted waiting for moto_server", e);
            }
        }
        close();
        throw new IllegalStateException("moto_server did not answer on " + endpoint() + " within "
                + STARTUP_TIMEOUT + ": " + logTail());
    }

    private String logTail() {
        try {
            String text = Files.readString(log);
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free local port", e);
        }
    }

    private static Optional<String> findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, name);
            if (candidate.isFile() && candidate.canExecute()) {
                return Optional.of(candidate.getAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
