package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every vendor simulator shares: a JDK HttpServer on 127.0.0.1, request recording, run-time faults
 * (Java API and {@code POST /__sim/fault}), and an optional sliding-window rate limit.
 *
 * <p>Subclasses implement {@link #handle(SimRequest)} and render errors in their vendor's format.
 * Never on the production path: the product's {@code --drill} mode and the tests start these.
 * <p>Size: the HTTP plumbing shared by every vendor simulator (TLS, auth, request log, fault injection).
 */
public abstract class SimulatedHttpServer implements AutoCloseable {

    public static final String ADMIN_PREFIX = "/__sim/";

    static {
        // TCP_NODELAY on the JDK server's sockets: without it Nagle plus delayed ACKs add tens of ms to each answer
        // (read once, when the JDK's ServerConfig loads; a -D on the command line still wins).
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }
    private static final int THREADS = 16;
    private static final long DEFAULT_HANG_TIMEOUT_MS = 60_000;

    protected final Logger log = LoggerFactory.getLogger(getClass());
    protected final Clock clock = Clock.systemUTC();

    private final String name;
    private final int requestedPort;
    private final ExecutorService workers;
    private final ScheduledExecutorService timers;
    private final Object lifecycle = new Object();
    private final ConcurrentLinkedQueue<RecordedRequest> recorded = new ConcurrentLinkedQueue<>();
    private final FaultState faults = new FaultState();

    private HttpServer server; // guarded by lifecycle; null while refusing or stopped
    private ScheduledFuture<?> refuseTimer; // guarded by lifecycle
    private volatile int port = -1;
    private volatile boolean closed;
    private volatile SlidingWindowRateLimiter rateLimiter;
    private final java.util.concurrent.atomic.AtomicLong rateLimited = new java.util.concurrent.atomic.AtomicLong();
    private volatile long hangTimeoutMs = DEFAULT_HANG_TIMEOUT_MS;

    protected SimulatedHttpServer(String name, int port) {
        this.name = name;
        this.requestedPort = port;
        this.workers = Executors.newFixedThreadPool(THREADS, daemonThreads("sim-" + name + "-"));
        this.timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("sim-" + name + "-timer-"));
    }

    /** Answers one (non-admin, non-faulted) request. Throw {@link SimHttpException} for vendor errors. */
    protected abstract SimResponse handle(SimRequest request) throws Exception;

    /** An error in the vendor's format; used for {@link SimHttpException}, faults and unexpected failures. */
    protected abstract SimResponse errorResponse(int status, String code, String message);

    /** The rate-limited answer: Genesys' normalised 429 unless a vendor differs. */
    protected SimResponse rateLimitedResponse(int retryAfterSeconds) {
        ObjectNode body = Json.object()
                .put("message", "Rate limit exceeded the maximum. Retry the request in [" + retryAfterSeconds + "] seconds")
                .put("code", "too.many.requests.retry.after")
                .put("status", 429)
                .put("contextId", java.util.UUID.randomUUID().toString());
        body.putArray("details");
        body.putArray("errors");
        return SimResponse.json(429, body).withHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    // ---- lifecycle ----

    /** Binds and starts serving; subclasses override to return their own type. */
    public SimulatedHttpServer start() {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException(name + " simulator is closed");
            }
            if (server == null && port < 0) {
                bind(requestedPort);
                log.info("{} simulator listening on {}", name, baseUrl());
                if (faults.current().mode() == Fault.Mode.REFUSE) {
                    stopListening(); // refused before it started: keep the port, refuse connections
                }
            }
        }
        return this;
    }

    public int port() {
        if (port < 0) {
            throw new IllegalStateException(name + " simulator not started");
        }
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            faults.replace(Fault.none()); // releases hung requests
            stopListening();
        }
        timers.shutdownNow();
        workers.shutdownNow();
        log.info("{} simulator stopped", name);
    }

    // ---- recording ----

    public List<RecordedRequest> requests() {
        return List.copyOf(recorded);
    }

    /** How many recorded requests have this method (null = any) and a path starting with the prefix. */
    public long count(String method, String pathPrefix) {
        return recorded.stream()
                .filter(r -> method == null || r.method().equalsIgnoreCase(method))
                .filter(r -> r.path().regionMatches(true, 0, pathPrefix, 0, pathPrefix.length()))
                .count();
    }

    public void clearRequests() {
        recorded.clear();
    }

    // ---- faults and rate limit ----

    public Fault fault() {
        return faults.current();
    }

    /** Installs a fault (replacing and releasing the previous one); thread-safe. */
    public void setFault(Fault fault) {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            Fault previous = faults.replace(fault);
            log.info("{} simulator fault: {} -> {}", name, previous.mode(), fault);
            if (refuseTimer != null) {
                refuseTimer.cancel(false);
                refuseTimer = null;
            }
            if (fault.mode() == Fault.Mode.REFUSE) {
                stopListening();
                if (fault.delayMs() > 0) {
                    refuseTimer = timers.schedule(() -> clearFaultIf(fault), fault.delayMs(), TimeUnit.MILLISECONDS);
                }
            } else if (server == null && port >= 0) {
                bind(port);
            }
        }
    }

    public void clearFault() {
        setFault(Fault.none());
    }

    private void clearFaultIf(Fault expected) {
        if (faults.current() == expected) {
            clearFault();
        }
    }

    /** Beyond {@code perMinute} requests in any 60 s, answer 429 with Retry-After; 0 turns it off (default). */
    public void setRateLimitPerMinute(int perMinute) {
        setRateLimit(perMinute, Duration.ofMinutes(1));
    }

    /** Beyond {@code limit} requests in any {@code window}, answer 429 (for time-scaled benchmarks); 0 turns it off. */
    public void setRateLimit(int limit, Duration window) {
        rateLimiter = limit <= 0 ? null : new SlidingWindowRateLimiter(limit, window, clock);
    }

    /** Requests the rate limit ({@link #setRateLimit}) answered 429 so far; injected 429 faults are not counted. */
    public long rateLimitedCount() {
        return rateLimited.get();
    }

    // ---- the socket ----

    private void bind(int onPort) {
        IOException last = null;
        // re-binding the same port right after a REFUSE fault can briefly fail; retry a little
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 64);
                created.createContext("/", this::dispatch);
                created.setExecutor(workers);
                created.start();
                server = created;
                port = created.getAddress().getPort();
                return;
            } catch (BindException e) {
                last = e;
                sleepQuietly(50);
            } catch (IOException e) {
                last = e;
                break;
            }
        }
        throw new IllegalStateException(name + " simulator cannot listen on port " + onPort, last);
    }

    private void stopListening() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    // ---- request pipeline ----

    private void dispatch(HttpExchange exchange) {
        Runnable afterResponse = null;
        SimResponse response;
        try {
            SimRequest request = readRequest(exchange);
            if (request.rawPath().startsWith(ADMIN_PREFIX)) {
                AdminResult admin = handleAdmin(request);
                response = admin.response();
                afterResponse = admin.afterResponse();
            } else {
                recorded.add(new RecordedRequest(request.method(), request.path(), request.rawQuery(),
                        request.headers(), request.body(), clock.instant()));
                Optional<SimResponse> faulted = applyFault(request);
                if (faulted.isPresent() && faulted.get() == DROP_CONNECTION) {
                    exchange.close();
                    return;
                }
                response = faulted.isPresent() ? faulted.get() : answer(request);
            }
        } catch (SimHttpException e) {
            response = errorResponse(e.status(), e.code(), e.getMessage());
        } catch (Exception e) {
            log.warn("{} simulator failed on {} {}", name, exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = errorResponse(500, "internal.server.error", "simulator failure: " + e);
        }
        send(exchange, response);
        if (afterResponse != null) {
            timers.execute(afterResponse);
        }
    }

    private SimResponse answer(SimRequest request) throws Exception {
        SlidingWindowRateLimiter limiter = rateLimiter;
        if (limiter != null) {
            OptionalInt retryAfter = limiter.tryAcquire();
            if (retryAfter.isPresent()) {
                rateLimited.incrementAndGet();
                return rateLimitedResponse(retryAfter.getAsInt());
            }
        }
        try {
            return handle(request);
        } catch (SimHttpException e) {
            return errorResponse(e.status(), e.code(), e.getMessage());
        }
    }

    /** Marker: close the connection without an answer (a request that slipped in as REFUSE began). */
    private static final SimResponse DROP_CONNECTION = SimResponse.empty(0);

    private Optional<SimResponse> applyFault(SimRequest request) throws InterruptedException {
        Optional<FaultState.Active> claimed = faults.claim(request.path());
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        Fault fault = claimed.get().fault();
        switch (fault.mode()) {
            case REFUSE:
                return Optional.of(DROP_CONNECTION);
            case HANG:
                long holdMs = fault.delayMs() > 0 ? fault.delayMs() : hangTimeoutMs;
                claimed.get().replaced().await(holdMs, TimeUnit.MILLISECONDS);
                return closed ? Optional.of(DROP_CONNECTION) : Optional.empty();
            case SLOW:
                Thread.sleep(fault.delayMs());
                return Optional.empty();
            case ERROR:
                return Optional.of(errorResponse(fault.status(), "simulated.error",
                        "simulated fault: HTTP " + fault.status()));
            case RATE_LIMIT:
                return Optional.of(rateLimitedResponse(fault.retryAfterSeconds()));
            default:
                return Optional.empty();
        }
    }

    private record AdminResult(SimResponse response, Runnable afterResponse) {
    }

    /**
     * {@code POST /__sim/fault} installs a fault ({@code {"mode":"none"}} clears it), {@code GET /__sim/fault}
     * shows it, {@code GET /__sim/requests} lists recorded requests, {@code DELETE /__sim/requests} clears them.
     */
    private AdminResult handleAdmin(SimRequest request) {
        String path = request.rawPath();
        String method = request.method().toUpperCase(Locale.ROOT);
        if (path.equals(ADMIN_PREFIX + "fault") && method.equals("POST")) {
            Fault fault = parseFault(Json.parse(request.body()));
            // a REFUSE closes the very socket this answer travels on, so install it after answering
            return new AdminResult(SimResponse.json(200, faultJson(fault)), () -> setFault(fault));
        }
        if (path.equals(ADMIN_PREFIX + "fault") && method.equals("GET")) {
            return new AdminResult(SimResponse.json(200, faultJson(fault())), null);
        }
        if (path.equals(ADMIN_PREFIX + "requests") && method.equals("GET")) {
            return new AdminResult(SimResponse.json(200, requests()), null);
        }
        if (path.equals(ADMIN_PREFIX + "requests") && method.equals("DELETE")) {
            clearRequests();
            return new AdminResult(SimResponse.empty(204), null);
        }
        throw new SimHttpException(404, "not.found", "unknown simulator admin call " + method + " " + path);
    }

    static Fault parseFault(JsonNode json) {
        String modeText = json.path("mode").asText("none").replace("_", "").toLowerCase(Locale.ROOT);
        Fault.Mode mode = switch (modeText) {
            case "none" -> Fault.Mode.NONE;
            case "refuse" -> Fault.Mode.REFUSE;
            case "hang" -> Fault.Mode.HANG;
            case "slow" -> Fault.Mode.SLOW;
            case "error" -> Fault.Mode.ERROR;
            case "ratelimit" -> Fault.Mode.RATE_LIMIT;
            default -> throw new SimHttpException(400, "bad.request", "unknown fault mode " + modeText);
        };
        int status = json.path("status").asInt(mode == Fault.Mode.ERROR ? 503 : mode == Fault.Mode.RATE_LIMIT ? 429 : 0);
        try {
            return new Fault(mode, json.path("delayMs").asLong(0), status, json.path("retryAfterSeconds").asInt(
                    mode == Fault.Mode.RATE_LIMIT ? 1 : 0), json.path("pathPrefix").asText(null), json.path("times").asInt(0));
        } catch (IllegalArgumentException e) {
            throw new SimHttpException(400, "bad.request", e.getMessage());
        }
    }

    private static ObjectNode faultJson(Fault fault) {
        return Json.MAPPER.valueToTree(fault);
    }

    private static SimRequest readRequest(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, List<String>> headers = new java.util.LinkedHashMap<>(exchange.getRequestHeaders());
        return new SimRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, body);
    }

    private void send(HttpExchange exchange, SimResponse response) {
        try (exchange) {
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (response.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", response.contentType());
            }
            byte[] body = response.body();
            boolean noBody = body.length == 0 || response.status() == 204 || "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(response.status(), noBody ? -1 : body.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client went away (timed out, or the socket was closed by a REFUSE fault): nothing to tell
            log.debug("{} simulator could not answer {}: {}", name, exchange.getRequestURI(), e.toString());
        }
    }

    protected Instant now() {
        return clock.instant();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
