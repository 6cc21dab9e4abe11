import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens Hawtio in headless Chromium, connects it to the middleware's Jolokia with HTTP Basic credentials, selects
 * the Camel routes of context ccaas-failover and saves a screenshot. Driven through the DevTools protocol over the
 * JDK's own WebSocket client (no dependencies): Hawtio 3 keeps its connections in localStorage
 * ("connect.connections", keyed by name), the credentials of the tab in sessionStorage ("connect.credentials") and
 * takes the connection to use from ?con=NAME, so the script writes those and opens the Camel view with ?con=.
 *
 * Usage: java scripts/HawtioScreenshot.java HAWTIO_URL JOLOKIA_URL USER PASSWORD OUT.png
 * (the password may also come from the environment FAILOVER_JOLOKIA_PASSWORD when given as "-").
 * Exit 0 when the page lists route health-tick, 1 otherwise (the screenshot is saved either way).
 */
public class HawtioScreenshot {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final AtomicInteger IDS = new AtomicInteger();
    static final Map<Integer, CompletableFuture<String>> PENDING = new ConcurrentHashMap<>();
    static WebSocket ws;

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: HawtioScreenshot HAWTIO_URL JOLOKIA_URL USER PASSWORD OUT.png");
            System.exit(2);
        }
        String hawtio = args[0].replaceAll("/+$", "");
        URI jolokia = URI.create(args[1]);
        String user = args[2];
        String password = args[3].equals("-") ? System.getenv("FAILOVER_JOLOKIA_PASSWORD") : args[3];
        Path out = Path.of(args[4]).toAbsolutePath();
        Files.createDirectories(out.getParent());

        Path profile = Files.createTempDirectory("hawtio-chromium");
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String chromium = System.getenv().getOrDefault("CHROMIUM", "chromium");
        Process browser = new ProcessBuilder(chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--hide-scrollbars", "--window-size=1600,1000",
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=" + port,
                "--user-data-dir=" + profile, "about:blank")
                .redirectErrorStream(true).redirectOutput(out.resolveSibling("chromium.log").toFile()).start();
        int code = 1;
        try {
            String wsUrl = pageTarget(port);
            ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(wsUrl), new Listener()).get(10, TimeUnit.SECONDS);
            send("Page.enable", "{}");
            send("Emulation.setDeviceMetricsOverride", "{\"width\":1600,\"height\":1000,\"deviceScaleFactor\":1,\"mobile\":false}");

            // the origin first, so that its storage can be written
            navigate(hawtio + "/");
            waitFor("document.readyState === 'complete'", 30);
            String connection = "{\"name\":\"ccaas-failover\",\"scheme\":\"" + jolokia.getScheme() + "\",\"host\":\""
                    + jolokia.getHost() + "\",\"port\":" + jolokia.getPort() + ",\"path\":\"" + jolokia.getPath() + "\"}";
            evaluate("localStorage.setItem('connect.connections', JSON.stringify({'ccaas-failover': " + connection + "}));"
                    + "sessionStorage.setItem('connect.currentConnection', JSON.stringify('ccaas-failover'));"
                    + "sessionStorage.setItem('connect.credentials', JSON.stringify({username: " + js(user)
                    + ", password: " + js(password) + "})); 'ok'");

            navigate(hawtio + "/camel/routes?con=ccaas-failover");
            boolean tree = waitFor("document.body.innerText.includes('ccaas-failover')", 60);
            if (tree) {
                // select the "routes" folder of the context in the JMX tree: the Routes tab lists every route
                evaluate("(() => { const items = [...document.querySelectorAll('.pf-c-tree-view__node, .pf-v5-c-tree-view__node, button, span')];"
                        + " const r = items.find(e => e.textContent.trim() === 'routes' || e.textContent.trim() === 'Routes');"
                        + " if (r) { r.click(); return 'clicked'; } return 'none'; })()");
            }
            boolean routes = waitFor("document.body.innerText.includes('health-tick')", 60);
            Thread.sleep(2000); // let the table's statistics fill in
            String text = evaluate("document.body.innerText");
            Files.writeString(out.resolveSibling(out.getFileName().toString().replaceAll("\\.png$", "") + ".txt"), text);
            String png = result(send("Page.captureScreenshot", "{\"format\":\"png\"}"), "data");
            Files.write(out, Base64.getDecoder().decode(png));
            System.out.println("screenshot " + out + (routes ? " (routes listed)" : " (health-tick NOT on the page)"));
            code = routes ? 0 : 1;
            if (routes) {
                // best effort, for the README's tour: Runtime -> Threads (empty unless exec dumpAllThreads is allowed)
                navigate(hawtio + "/runtime/threads?con=ccaas-failover");
                Thread.sleep(5000);
                shot(out, "threads");
            }
        } finally {
            if (ws != null) {
                ws.abort();
            }
            browser.destroy();
            if (!browser.waitFor(5, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
        }
        System.exit(code);
    }

    static void shot(Path out, String name) throws Exception {
        String png = result(send("Page.captureScreenshot", "{\"format\":\"png\"}"), "data");
        Path file = out.resolveSibling(name + ".png");
        Files.write(file, Base64.getDecoder().decode(png));
        System.out.println("screenshot " + file);
    }

    static String js(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String pageTarget(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                String list = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = Pattern.compile("\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"([^\"]+)\"").matcher(list);
                if (m.find()) {
                    return m.group(1);
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("chromium's DevTools endpoint did not come up on port " + port);
    }

    static void navigate(String url) throws Exception {
        send("Page.navigate", "{\"url\":" + json(url) + "}");
    }

    static boolean waitFor(String condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if ("true".equals(evaluate("String(!!(" + condition + "))"))) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    static String evaluate(String expression) throws Exception {
        String r = send("Runtime.evaluate", "{\"expression\":" + json(expression) + ",\"returnByValue\":true}");
        return result(r, "value");
    }

    static String send(String method, String params) throws Exception {
        int id = IDS.incrementAndGet();
        CompletableFuture<String> f = new CompletableFuture<>();
        PENDING.put(id, f);
        ws.sendText("{\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}", true).join();
        return f.get(30, TimeUnit.SECONDS);
    }

    /** The string value of "key" in a DevTools answer (JSON string unescaped), or null. */
    static String result(String message, String key) {
        // scanned by hand: a regex over a screenshot's megabytes of base64 overflows the stack
        String marker = "\"" + key + "\":\"";
        int start = message.indexOf(marker);
        if (start < 0) {
            Matcher b = Pattern.compile("\"" + key + "\"\\s*:\\s*(true|false|-?\\d[\\d.eE+-]*)").matcher(message);
            return b.find() ? b.group(1) : null;
        }
        start += marker.length();
        int end = start;
        while (message.charAt(end) != '"') {
            end += message.charAt(end) == '\\' ? 2 : 1;
        }
        String s = message.substring(start, end);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i);
            switch (n) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(n);
            }
        }
        return sb.toString();
    }

    static String json(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    static final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();
        private static final Pattern ID = Pattern.compile("^\\{\"id\":(\\d+)");

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String message = buffer.toString();
                buffer.setLength(0);
                Matcher m = ID.matcher(message);
                if (m.find()) {
                    CompletableFuture<String> f = PENDING.remove(Integer.parseInt(m.group(1)));
                    if (f != null) {
                        f.complete(message);
                    }
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
