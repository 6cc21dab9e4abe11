package dev.ccaasfailover.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.simulator.Simulators;
import dev.ccaasfailover.simulator.TwilioSimulator;
import dev.ccaasfailover.testsupport.BenchmarkReport;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 part 9: at least 10,000 seeded hostile requests spread over every endpoint of docs/architecture.md, business and
 * management, against the real service on embedded defaults (no DNS provider, no platforms: a run could touch
 * nothing). Every answer must hold the contract: no 5xx, every error a JSON body, nothing written by a refused
 * request, no request data in a response header, no run started, no secret in an answer, nothing forged or whole
 * in the log. Failures are reported one line per class with the first request that showed it.
 * <p>
 * {@code -Dfuzz.seed=N} replays another seed, {@code -Dfuzz.requests=N} changes the total, {@code -Dfuzz.report=true}
 * writes the "Reliability" section of BENCHMARKS.md.
 */
class HostileInputFuzzTest {

    static final long SEED = Long.getLong("fuzz.seed", 20261203L);
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 10_500);
    static final String COMMAND = "mvn -B test -Dtest=HostileInputFuzzTest -Dsurefire.failIfNoSpecifiedTests=false";

    private final Map<String, Stats> stats = new LinkedHashMap<>();
    private final Map<String, Failure> failures = new TreeMap<>();

    static final class Stats {
        int tried;
        int raw;
        int refused;
        int accepted;
        int fiveXx;
        int nonJsonErrors;
        int partialWrites;
        int reflected;
        int acceptedHostile;
        int runsStarted;
        int other;
    }

    static Map<String, String> withCarrierTrunk(TwilioSimulator twilio) {
        twilio.addTrunk(Simulators.CARRIER_TRUNK_SID);
        twilio.addOriginationUrl(Simulators.CARRIER_TRUNK_SID, "genesys", Simulators.GENESYS_ORIGINATION_URL, 10, 10, true);
        String c = "failover.carrier.twilio.";
        return Map.of("failover.events.sns.allowed-topic-arns", HostileRequests.SNS_TOPIC,
                c + "trunk-sid", Simulators.CARRIER_TRUNK_SID, c + "username", twilio.apiKeySid(), c + "secret", twilio.apiKeySecret(),
                c + "sip-url.genesys", Simulators.GENESYS_ORIGINATION_URL, c + "sip-url.nice", Simulators.NICE_ORIGINATION_URL,
                c + "base-url", twilio.apiBaseUrl());
    }

    /** One failure class: how often, on which endpoints, for which kinds of input, and the first request that showed it. */
    record Failure(String example, int[] count, java.util.Set<String> endpoints, java.util.Set<String> kinds) {
    }

    @Test
    void hostileRequestsGetNo5xxOnlyJsonErrorsNoPartialWritesAndNoReflectedHeaders() throws Exception {
        Map<String, String> tokens = Map.of("ingest", RunningMiddleware.INGEST_TOKEN, "context", RunningMiddleware.CONTEXT_TOKEN,
                "admin", RunningMiddleware.ADMIN_TOKEN);
        LogWatch logs = LogWatch.attach(List.copyOf(tokens.values()));
        long started = System.nanoTime();
        // A carrier trunk on a Twilio simulator, so that POST /carrier/apply reads and writes a trunk instead of answering 409.
        try (TwilioSimulator twilio = new TwilioSimulator(0).start();
             RunningMiddleware app = RunningMiddleware.start(withCarrierTrunk(twilio));
             StoreFingerprint store = new StoreFingerprint(app.dataDir())) {
            int port = app.uri("/").getPort();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            // One caller and call the GETs can find, written the ordinary way before the fuzz.
            String seedEvent = HostileRequests.event("seed").replace("call-seed", HostileRequests.CALL);
            assertThat(app.post("/events", RunningMiddleware.INGEST_TOKEN, seedEvent).statusCode()).isEqualTo(202);
            assertThat(app.get("/status", RunningMiddleware.ADMIN_TOKEN).statusCode()).isEqualTo(200);
            List<String> routesStarted = app.context().getRoutes().stream()
                    .filter(r -> app.context().getRouteController().getRouteStatus(r.getRouteId()) == ServiceStatus.Started)
                    .map(Route::getRouteId).toList();

            HostileRequests gen = new HostileRequests(SEED, tokens);
            List<HostileRequests.Endpoint> endpoints = HostileRequests.ENDPOINTS;
            endpoints.forEach(e -> stats.put(e.name(), new Stats()));
            String digest = store.digest();
            long dataVersion = store.dataVersion();
            long runs = store.runRows();
            for (int i = 0; i < REQUESTS; i++) {
                HostileRequests.Endpoint e = endpoints.get(i % endpoints.size());
                HostileRequest h = gen.next(e);
                RawHttp.Response r = send(http, port, h);
                long version = store.dataVersion();
                String after = version == dataVersion ? digest : store.digest();
                dataVersion = version;
                long runsAfter = after.equals(digest) ? runs : store.runRows();
                check(h, r, !after.equals(digest), runsAfter > runs, tokens);
                for (String id : routesStarted) {
                    ServiceStatus status = app.context().getRouteController().getRouteStatus(id);
                    if (status != ServiceStatus.Started) {
                        fail("a route was stopped by a fuzz request", "route " + id + " " + status + " after " + h.describe(), h);
                        app.context().getRouteController().startRoute(id); // so later requests meet the service whole
                    }
                }
                if (runsAfter > runs) {
                    awaitRunsFinished(app);
                    after = store.digest();
                    dataVersion = store.dataVersion();
                    runsAfter = store.runRows();
                }
                digest = after;
                runs = runsAfter;
            }

            HttpResponse<String> health = app.get("/observe/health", null);
            if (health.statusCode() != 200) {
                fail("readiness not UP after the fuzz", health.statusCode() + " " + HostileRequest.clip(health.body(), 200), null);
            }
        } finally {
            logs.detach();
        }
        logs.counts.forEach((cls, n) -> failures.put(cls, new Failure(logs.firstExample.get(cls), new int[]{n},
                new java.util.TreeSet<>(), new java.util.TreeSet<>())));
        double seconds = (System.nanoTime() - started) / 1e9;
        String report = report(seconds);
        System.out.println(report);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "fuzz-reliability.md"), report);
        if (Boolean.getBoolean("fuzz.report")) {
            BenchmarkReport.write("reliability", report);
        }
        assertThat(stats.values().stream().mapToInt(s -> s.tried).sum()).isGreaterThanOrEqualTo(Math.min(REQUESTS, 10_000));
        org.junit.jupiter.api.Assertions.assertTrue(failures.isEmpty(), () -> failures.size() + " hostile-input failure classes, seed "
                + SEED + " (replay: " + COMMAND + " -Dfuzz.seed=" + SEED + "):\n" + String.join("\n", failureLines()));
    }

    // ---- sending ----------------------------------------------------------------------------------------------

    private static RawHttp.Response send(HttpClient http, int port, HostileRequest h) {
        if (h.raw() != null) {
            return RawHttp.send(port, h.raw(), 3000);
        }
        HttpRequest request;
        try {
            HttpRequest.BodyPublisher body = h.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(h.body());
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + h.target()))
                    .timeout(Duration.ofSeconds(10)).method(h.method(), body);
            for (String[] header : h.headers()) {
                b.header(header[0], header[1]);
            }
            request = b.build();
        } catch (IllegalArgumentException notForTheJdkClient) {
            return RawHttp.send(port, serialise(h), 3000); // an illegal URI or header: the raw socket sends it as it is
        }
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            List<String[]> headers = new ArrayList<>();
            r.headers().map().forEach((name, values) -> values.forEach(v -> headers.add(new String[]{name, v})));
            return new RawHttp.Response(r.statusCode(), headers, r.body(), null);
        } catch (IOException e) {
            return RawHttp.send(port, serialise(h), 3000); // the JDK client gave up on the answer: read it raw
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] serialise(HostileRequest h) {
        StringBuilder b = new StringBuilder(h.method()).append(' ').append(h.target()).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String[] header : h.headers()) {
            b.append(header[0]).append(": ").append(header[1]).append("\r\n");
        }
        if (h.body() != null) {
            b.append("Content-Length: ").append(h.body().length).append("\r\n");
        }
        b.append("Connection: close\r\n\r\n");
        byte[] head = b.toString().getBytes(StandardCharsets.UTF_8);
        return h.body() == null ? head : HostileRequests.concat(head, h.body());
    }

    /** A run the fuzz started (itself a failure) finishes before the next request, so its writes blame no one else. */
    private static void awaitRunsFinished(RunningMiddleware app) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = app.get("/runs", RunningMiddleware.ADMIN_TOKEN);
            if (r.statusCode() == 200 && !r.body().contains("\"running\"")) {
                return;
            }
            Thread.sleep(50);
        }
    }

    // ---- checking ---------------------------------------------------------------------------------------------

    private void check(HostileRequest h, RawHttp.Response r, boolean storeChanged, boolean runStarted, Map<String, String> tokens) {
        Stats s = stats.get(h.endpoint());
        s.tried++;
        if (h.raw() != null) {
            s.raw++;
        }
        String body = new String(r.body(), StandardCharsets.UTF_8);
        String family = family(h.kind());
        if (r.status() == 0) {
            s.nonJsonErrors++;
            fail("no HTTP answer at all [" + family + "]", h.describe() + " -> " + r.noAnswer(), h);
            return;
        }
        String answer = r.status() + " " + (contentType(r).isEmpty() ? "without a content type" : contentType(r).replaceFirst(";.*", ""));
        boolean jolokia = h.endpoint().endsWith("/observe/jolokia");
        boolean refused = r.status() >= 400 || (jolokia && jolokiaRefused(h.body(), body));
        if (refused) {
            s.refused++;
        } else {
            s.accepted++;
        }
        if (r.status() >= 500) {
            s.fiveXx++;
            String area = h.endpoint().contains("/observe/") ? "management" : "business";
            fail("5xx: " + answer + " on a " + area + " endpoint [" + family + "]", example(h, r, body), h);
        }
        boolean head = h.method().equals("HEAD");
        if (r.status() >= 400 && r.status() < 500 && !head && !isJsonError(r, body)) {
            s.nonJsonErrors++;
            fail("an error without the JSON body {status, message}: " + answer + " [" + family + "]", example(h, r, body), h);
        }
        if (r.status() >= 200 && r.status() < 300 && r.status() != 204 && !head && !h.endpoint().equals("GET /observe/metrics")
                && !contentType(r).startsWith("application/json")) {
            s.other++;
            fail("a success that is not JSON: " + answer + " on " + h.endpoint(), example(h, r, body), h);
        }
        boolean reflected = false;
        for (String[] header : r.headers()) {
            String name = header[0].toLowerCase(Locale.ROOT);
            if ((name + ": " + header[1]).toLowerCase(Locale.ROOT).contains(h.canary())) {
                reflected = true;
                fail("request data copied into a response header: from " + source(h, name), h.describe() + " -> " + r.status() + " "
                        + HostileRequest.clip(header[0] + ": " + header[1], 160), h);
            } else if (List.of("set-cookie", "refresh", "access-control-allow-origin", "access-control-allow-credentials").contains(name)) {
                reflected = true;
                fail("a response header the service never sets: " + header[0], example(h, r, body), h);
            }
        }
        if (reflected) {
            s.reflected++;
        }
        if (h.mustRefuse() && !refused) {
            s.acceptedHostile++;
            String why = tag(h.kind(), "auth:") != null && roleEndpoint(h.endpoint()) ? tag(h.kind(), "auth:")
                    : tag(h.kind(), "op:") != null ? tag(h.kind(), "op:") : mainKind(h.kind());
            fail("accepted although the contract refuses it: " + why, example(h, r, body), h);
        }
        if (storeChanged && refused) {
            s.partialWrites++;
            fail("a refused request changed the store [" + mainKind(h.kind()) + "]", example(h, r, body), h);
        } else if (storeChanged && !h.write()) {
            s.partialWrites++;
            fail("a read changed the store: " + h.endpoint(), example(h, r, body), h);
        }
        if (runStarted) {
            s.runsStarted++;
            fail("a run was started (no fuzz request is a valid real-run request) [" + mainKind(h.kind()) + "]", example(h, r, body), h);
        }
        for (Map.Entry<String, String> t : tokens.entrySet()) {
            if (body.contains(t.getValue())) {
                s.other++;
                fail("the " + t.getKey() + " token in an answer: " + h.endpoint(), example(h, r, body), h);
            }
        }
    }

    /** A request's tag ("auth:missing", "op:..."), or null. */
    private static String tag(String kind, String prefix) {
        for (String t : kind.split(" ")) {
            if (t.startsWith(prefix)) {
                return t;
            }
        }
        return null;
    }

    private static boolean roleEndpoint(String endpoint) {
        return HostileRequests.ENDPOINTS.stream().anyMatch(e -> e.name().equals(endpoint) && e.role() != null);
    }

    /** Where a reflected header came from: a request header of that name, a query parameter, or a form field. */
    private static String source(HostileRequest h, String headerName) {
        if (h.headers().stream().anyMatch(x -> x[0].equalsIgnoreCase(headerName))
                || (h.raw() != null && new String(h.raw(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("\n" + headerName + ":"))) {
            return "a request header";
        }
        String target = h.raw() != null ? new String(h.raw(), StandardCharsets.ISO_8859_1).split("\r?\n", 2)[0] : h.target();
        if (target.toLowerCase(Locale.ROOT).contains(headerName + "=") || target.toLowerCase(Locale.ROOT).contains(h.canary())) {
            return "a query parameter";
        }
        if (h.body() != null && new String(h.body(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains(headerName)) {
            return "a form field";
        }
        return "elsewhere (" + headerName + ")";
    }

    /** The family of a request's defect: raw, query, path, header, body, method, content-type, jolokia-get, auth-only. */
    private static String family(String kind) {
        String k = mainKind(kind);
        int c = k.indexOf(':');
        return c < 0 ? k : k.substring(0, c);
    }

    /** The class of a request's defect without its auth variant, so classes stay few and readable. */
    private static String mainKind(String kind) {
        int a = kind.indexOf(' ');
        String k = a < 0 ? kind : kind.substring(0, a);
        return k.replaceFirst("^(wrong-type|null|missing|huge-string):.*", "$1").replaceFirst("^(body:(?:wrong-type|null|missing|huge-string)):.*", "$1");
    }

    private static boolean isJsonError(RawHttp.Response r, String body) {
        if (!contentType(r).startsWith("application/json")) {
            return false;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            return n != null && n.isObject() && n.path("status").asInt() == r.status() && n.path("message").isTextual();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Jolokia answers 200 with the outcome in the body (its protocol, which Hawtio expects): the answer is a refusal
     * when every item of the request that is not a plain read-only one (read, list, search, version) got an inner
     * status of 400 or more with a message; a request of read-only items only, when every item did.
     */
    private static boolean jolokiaRefused(byte[] request, String body) {
        try {
            JsonNode n = Json.MAPPER.readTree(body);
            if (n == null) {
                return false;
            }
            List<JsonNode> answers = new ArrayList<>();
            if (n.isArray()) {
                n.forEach(answers::add);
            } else {
                answers.add(n);
            }
            if (answers.isEmpty()) {
                return false;
            }
            List<JsonNode> asked = new ArrayList<>();
            try {
                JsonNode q = request == null ? null : Json.MAPPER.readTree(request);
                if (q != null && q.isArray()) {
                    q.forEach(asked::add);
                } else if (q != null) {
                    asked.add(q);
                }
            } catch (IOException | RuntimeException e) {
                asked.clear();
            }
            boolean matched = asked.size() == answers.size();
            boolean anyHostile = false;
            for (int i = 0; i < answers.size(); i++) {
                boolean hostile = !matched || !readOnlyItem(asked.get(i));
                anyHostile |= hostile;
                if (hostile && !refusedItem(answers.get(i))) {
                    return false;
                }
            }
            return anyHostile || answers.stream().allMatch(HostileInputFuzzTest::refusedItem);
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean readOnlyItem(JsonNode r) {
        return r.isObject() && List.of("read", "list", "search", "version").contains(r.path("type").asText());
    }

    private static boolean refusedItem(JsonNode a) {
        return a.path("status").asInt(200) >= 400 && a.path("message").isTextual() && !a.path("message").asText().isBlank();
    }

    private static String contentType(RawHttp.Response r) {
        String ct = r.header("Content-Type");
        return ct == null ? "" : ct.toLowerCase(Locale.ROOT).trim();
    }

    private static String example(HostileRequest h, RawHttp.Response r, String body) {
        return h.describe() + " -> " + r.status() + " " + contentType(r) + " " + HostileRequest.clip(body, 160);
    }

    private void fail(String cls, String example, HostileRequest h) {
        Failure f = failures.computeIfAbsent(cls, k -> new Failure(example + (h == null ? "" : "  {kind " + h.kind() + "}"), new int[]{0},
                new java.util.TreeSet<>(), new java.util.TreeSet<>()));
        f.count()[0]++;
        if (h != null) {
            f.endpoints().add(h.endpoint());
            f.kinds().add(mainKind(h.kind()));
        }
    }

    private List<String> failureLines() {
        List<String> lines = new ArrayList<>();
        failures.forEach((cls, f) -> lines.add("  " + summary(cls, f) + "\n      first: " + f.example()));
        return lines;
    }

    private static String summary(String cls, Failure f) {
        String kinds = f.kinds().size() <= 6 ? String.join(", ", f.kinds())
                : String.join(", ", new ArrayList<>(f.kinds()).subList(0, 6)) + " and " + (f.kinds().size() - 6) + " more";
        return cls + " (x" + f.count()[0] + (f.endpoints().isEmpty() ? "" : "; " + f.endpoints().size() + " endpoint(s)"
                + (f.endpoints().size() <= 4 ? ": " + String.join(", ", f.endpoints()) : "")) + (kinds.isEmpty() ? "" : "; inputs: " + kinds) + ")";
    }

    // ---- report -----------------------------------------------------------------------------------------------

    private String report(double seconds) {
        StringBuilder b = new StringBuilder("## Reliability: hostile-input fuzz (HostileInputFuzzTest)\n\n");
        int total = stats.values().stream().mapToInt(s -> s.tried).sum();
        b.append(String.format(Locale.ROOT, "%,d seeded hostile requests (seed %d) against the service on embedded defaults, one at a time"
                + " over one keep-alive connection (raw sockets for what the JDK client will not send), in %.0f s; "
                + "measured on %s. Reproduce: `%s` (add `-Dfuzz.seed=N` for another seed, `-Dfuzz.report=true` to rewrite this section).%n%n",
                total, SEED, seconds, revision(), COMMAND));
        b.append("| endpoint | inputs | raw | refused | accepted | 5xx | non-JSON errors | partial writes | reflected headers | hostile accepted | runs started |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Stats sum = new Stats();
        stats.forEach((name, s) -> {
            b.append(String.format(Locale.ROOT, "| `%s` | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n", name, s.tried, s.raw,
                    s.refused, s.accepted, s.fiveXx, s.nonJsonErrors, s.partialWrites, s.reflected, s.acceptedHostile, s.runsStarted));
            sum.tried += s.tried;
            sum.raw += s.raw;
            sum.refused += s.refused;
            sum.accepted += s.accepted;
            sum.fiveXx += s.fiveXx;
            sum.nonJsonErrors += s.nonJsonErrors;
            sum.partialWrites += s.partialWrites;
            sum.reflected += s.reflected;
            sum.acceptedHostile += s.acceptedHostile;
            sum.runsStarted += s.runsStarted;
        });
        b.append(String.format(Locale.ROOT, "| **all** | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d |%n%n", sum.tried, sum.raw,
                sum.refused, sum.accepted, sum.fiveXx, sum.nonJsonErrors, sum.partialWrites, sum.reflected, sum.acceptedHostile,
                sum.runsStarted));
        b.append("\"Non-JSON errors\" counts answers of 400 or more without the `{status, message}` JSON body, and requests that got no"
                + " HTTP answer at all; \"hostile accepted\", requests the contract refuses (wrong token, JSON-only, duplicate keys,"
                + " trailing data, dryRun not a boolean, unsigned SNS, Jolokia exec) that got 2xx. ");
        b.append(failures.isEmpty() ? "No failure class.\n" : failures.size() + " failure classes, first example each:\n\n");
        failures.forEach((cls, f) -> b.append("- ").append(summary(cls, f).replace("|", "/")).append("\n"));
        return b.toString();
    }

    private static String revision() {
        try {
            Process p = new ProcessBuilder("git", "log", "-1", "--format=%h").redirectErrorStream(true).start();
            String commit = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            Process q = new ProcessBuilder("git", "rev-parse", "--abbrev-ref", "HEAD").redirectErrorStream(true).start();
            String branch = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 && q.waitFor() == 0 ? "branch `" + branch + "` at " + commit : "an unknown revision";
        } catch (IOException e) {
            return "an unknown revision";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "an unknown revision";
        }
    }
}
