package dev.ccaasfailover.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * POSTs a list of bodies once each with wrk (Debian package wrk: a C load generator) in its own process, over
 * {@code clients} keep-alive connections, each sending its next body when its previous answer is in. A client
 * elsewhere costs the service nothing but the request; wrk is the closest stand-in on one machine: a few
 * microseconds of its own per request, none of it in the service's JVM (no shared heap, JIT or GC).
 *
 * <p>The script ({@code wrk/post-once.lua}) times the run on CLOCK_MONOTONIC from its first send to its last
 * answer, so wrk's start-up and its fixed {@code -d} duration are not counted; wrk is stopped once every
 * connection has reported.
 */
public final class WrkPost {

    private WrkPost() {
    }

    /**
     * @return nanoseconds from the first request sent to the last answer received
     * @throws IllegalStateException if wrk is missing, or any answer's status was not {@code status}
     */
    public static long postAll(URI uri, String token, List<byte[]> bodies, int clients, int status)
            throws IOException, InterruptedException {
        if (bodies.size() < clients) {
            throw new IllegalArgumentException(bodies.size() + " bodies for " + clients + " clients");
        }
        Path dir = Files.createTempDirectory("wrk-post");
        try {
            for (int i = 0; i < bodies.size(); i++) {
                Files.write(dir.resolve(String.valueOf(i + 1)), bodies.get(i));
            }
            Path script = dir.resolve("post-once.lua");
            try (InputStream in = WrkPost.class.getResourceAsStream("/wrk/post-once.lua")) {
                Files.copy(in, script);
            }
            ProcessBuilder pb = new ProcessBuilder(wrk(), "-t" + clients, "-c" + clients, "-d600s", "--timeout", "60s",
                    "-s", script.toString(), uri.resolve("/").toString());
            pb.environment().put("BODIES", dir.toString());
            pb.environment().put("N", String.valueOf(bodies.size()));
            pb.environment().put("THREADS", String.valueOf(clients));
            pb.environment().put("TOKEN", token);
            pb.environment().put("STATUS", String.valueOf(status));
            pb.environment().put("PATH_", uri.getRawPath());
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process wrk = pb.start();
            try {
                return firstSendToLastAnswer(wrk, clients);
            } finally {
                wrk.destroy();
                wrk.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static long firstSendToLastAnswer(Process wrk, int clients) throws IOException {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        int done = 0;
        List<String> problems = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(wrk.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; done < clients && (line = err.readLine()) != null; ) {
                if (line.startsWith("DONE ")) {
                    String[] f = line.split(" ");
                    first = Math.min(first, Long.parseLong(f[1]));
                    last = Math.max(last, Long.parseLong(f[2]));
                    if (!f[4].equals("0")) {
                        problems.add(f[4] + " failed answers on one connection");
                    }
                    done++;
                } else {
                    problems.add(line);
                }
            }
        }
        if (done < clients || !problems.isEmpty()) {
            throw new IllegalStateException("wrk: " + done + " of " + clients + " connections done; " + String.join("; ", problems));
        }
        return last - first;
    }

    private static String wrk() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                return Path.of(dir, "wrk").toString();
            }
        }
        throw new IllegalStateException("wrk is not installed: the ingest benchmark's HTTP client. Install it with"
                + " `sudo apt-get install -y wrk` (Debian package wrk).");
    }
}
