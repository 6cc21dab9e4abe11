package dev.ccaasfailover.observe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.simulator.Simulators;
import dev.ccaasfailover.testsupport.MotoServer;
import dev.ccaasfailover.testsupport.RunningMiddleware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * deploy/grafana/ccaas-failover.json against a running instance: every metric name that a panel's PromQL or a
 * template variable's query names is on /observe/metrics, and every exact label value a selector fixes (e.g.
 * routeId="health-tick") is one that some series of that metric carries. The instance is wired to the vendor
 * simulators and exercised a little first (one POST /events, one GET /context, one dry-run POST /failover), so that
 * meters created on first use exist.
 */
class GrafanaDashboardTest {

    static final Path DASHBOARD = Path.of("deploy/grafana/ccaas-failover.json");

    static {
        // the AWS SDK's default credential chain (Route 53 simulator); any key is accepted
        System.setProperty("aws.accessKeyId", MotoServer.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", MotoServer.SECRET_KEY);
    }

    static Simulators sims;
    static RunningMiddleware app;
    /** series name → the label sets it is exported with */
    static Map<String, List<Map<String, String>>> exposition;
    static JsonNode dashboard;

    @BeforeAll
    static void startAndExercise() throws Exception {
        dashboard = Json.MAPPER.readTree(Files.readString(DASHBOARD));
        sims = Simulators.startDemo();
        Map<String, String> props = new HashMap<>(sims.middlewareProperties());
        props.put("failover.health.interval-ms", "200");
        props.put("failover.health.sip-interval-ms", "200");
        props.put("failover.agents.login-poll-ms", "200");
        props.put("failover.capacity.poll-ms", "200");
        props.put("camel.main.shutdownTimeout", "2");
        app = RunningMiddleware.start(props);

        String phone = "+13175550177";
        String event = "{\"eventId\":\"g-1\",\"type\":\"CallStarted\",\"platform\":\"genesys\",\"callId\":\"g-call\","
                + "\"phoneNumber\":\"" + phone + "\",\"timestamp\":\"" + Instant.now().minusSeconds(5) + "\"}";
        assertThat(app.post("/events", RunningMiddleware.INGEST_TOKEN, event).statusCode()).isEqualTo(202);
        assertThat(app.get("/context/" + phone.replace("+", "%2B"), RunningMiddleware.CONTEXT_TOKEN).statusCode())
                .isEqualTo(200);
        assertThat(app.post("/failover", RunningMiddleware.ADMIN_TOKEN, "{\"reason\":\"dashboard test\",\"dryRun\":true}")
                .statusCode()).isEqualTo(200);
        // a few health ticks, so that probes have answered and their RTT timers have samples
        await().atMost(Duration.ofSeconds(20)).until(() -> app.exchangesCompleted("health-tick") >= 3);

        HttpResponse<String> metrics = app.get("/observe/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        Path dump = Path.of("target/observe-metrics.txt");
        Files.createDirectories(dump.getParent());
        Files.writeString(dump, metrics.body());
        exposition = parseExposition(metrics.body());
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (sims != null) {
            sims.close();
        }
    }

    @Test
    void isAGrafana10DashboardWithAPrometheusDatasourceVariable() {
        assertThat(dashboard.get("schemaVersion").asInt()).isGreaterThanOrEqualTo(38);
        assertThat(dashboard.get("uid").asText()).isNotBlank();
        assertThat(dashboard.get("title").asText()).isNotBlank();
        JsonNode ds = null;
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("datasource")) {
                ds = v;
            }
        }
        assertThat(ds).as("a datasource template variable").isNotNull();
        assertThat(ds.path("query").asText()).isEqualTo("prometheus");
        String dsRef = "${" + ds.path("name").asText() + "}";

        Set<Integer> ids = new LinkedHashSet<>();
        for (JsonNode panel : panels()) {
            assertThat(ids.add(panel.path("id").asInt())).as("panel id %s unique", panel.path("id")).isTrue();
            assertThat(panel.has("gridPos")).as("panel %s has gridPos", panel.path("title")).isTrue();
            if (panel.path("type").asText().equals("row")) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asText()).as("panel %s datasource", panel.path("title"))
                    .isEqualTo(dsRef);
            assertThat(panel.path("targets")).as("panel %s has queries", panel.path("title")).isNotEmpty();
            for (JsonNode t : panel.path("targets")) {
                assertThat(t.path("datasource").path("uid").asText()).isEqualTo(dsRef);
                assertThat(t.path("expr").asText()).isNotBlank();
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                assertThat(v.path("datasource").path("uid").asText()).isEqualTo(dsRef);
            }
        }
    }

    @Test
    void everyMetricTheDashboardNamesIsOnObserveMetrics() {
        Set<String> used = new TreeSet<>();
        for (String q : queries()) {
            used.addAll(metricNames(q));
        }
        assertThat(used).as("metric names in the dashboard").isNotEmpty();
        List<String> missing = new ArrayList<>();
        for (String name : used) {
            if (!exposition.containsKey(name)) {
                missing.add(name);
            }
        }
        assertThat(missing).as("names the dashboard uses that /observe/metrics does not export (see target/observe-metrics.txt)")
                .isEmpty();
    }

    @Test
    void everyFixedLabelValueInASelectorIsOneTheMetricCarries() {
        List<String> wrong = new ArrayList<>();
        for (String q : queries()) {
            for (Selector s : selectors(q)) {
                List<Map<String, String>> series = exposition.getOrDefault(s.metric(), List.of());
                for (Map.Entry<String, String> m : s.equals().entrySet()) {
                    boolean found = series.stream().anyMatch(l -> m.getValue().equals(l.get(m.getKey())));
                    if (!found) {
                        wrong.add(s.metric() + "{" + m.getKey() + "=\"" + m.getValue() + "\"}");
                    }
                }
            }
        }
        assertThat(wrong).as("selectors that match no exported series").isEmpty();
    }

    @Test
    void theExtractorFindsMetricNamesAndSkipsFunctionsLabelsAndVariables() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (le, platform) (rate(a_seconds_bucket{platform=~\"$platform\"}"
                + "[$__rate_interval])))")).containsExactly("a_seconds_bucket");
        assertThat(metricNames("sum(rate(b_total{routeId=\"x\"}[5m] offset 1h)) / ignoring(le) max(c) > bool 0"))
                .containsExactly("b_total", "c");
        assertThat(metricNames("label_values(d_status, platform)")).containsExactly("d_status");
        assertThat(metricNames("{__name__=\"e\"} or 1e3 * f")).containsExactly("e", "f");
        assertThat(selectors("rate(g{routeId=\"r\",platform=~\"$p\"}[1m])"))
                .containsExactly(new Selector("g", Map.of("routeId", "r")));
    }

    // ---- the dashboard ----------------------------------------------------------------------------------------

    static List<JsonNode> panels() {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            all.add(p);
            for (JsonNode inner : p.path("panels")) {
                all.add(inner); // collapsed rows keep their panels inside
            }
        }
        return all;
    }

    /** Every PromQL expression of the panels, and the template variables' queries. */
    static List<String> queries() {
        List<String> q = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode t : panel.path("targets")) {
                q.add(t.path("expr").asText());
            }
        }
        for (JsonNode v : dashboard.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                JsonNode query = v.path("query");
                q.add(query.isObject() ? query.path("query").asText() : query.asText());
                if (v.hasNonNull("definition")) {
                    q.add(v.get("definition").asText());
                }
            }
        }
        return q;
    }

    // ---- PromQL ----------------------------------------------------------------------------------------------

    static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
            "ignoring", "group_left", "group_right", "inf", "nan", "atan2");
    static final Pattern SELECTOR = Pattern.compile("(?<![\\w:.])([a-zA-Z_:][\\w:]*)?\\s*\\{([^}]*)}");
    static final Pattern MATCHER = Pattern.compile("([a-zA-Z_]\\w*)\\s*(=~|!~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    static final Pattern IDENT = Pattern.compile("(?<![\\w:.$])([a-zA-Z_:][\\w:]*)(\\s*\\()?");
    static final Pattern LABEL_VALUES = Pattern.compile("^\\s*(label_values|query_result|metrics)\\s*\\(");

    record Selector(String metric, Map<String, String> equals) { }

    /** The metric names an expression reads (also {__name__="x"} and the first argument of label_values). */
    static Set<String> metricNames(String expr) {
        Set<String> names = new LinkedHashSet<>();
        String e = expr;
        Matcher lv = LABEL_VALUES.matcher(e);
        if (lv.find() && lv.group(1).equals("label_values")) {
            // label_values(metric{...}, label) or label_values(label): the last argument is a label
            int comma = e.lastIndexOf(',');
            e = comma < 0 ? "" : e.substring(lv.end(), comma);
        }
        Matcher sel = SELECTOR.matcher(e);
        StringBuilder rest = new StringBuilder();
        while (sel.find()) {
            Matcher m = MATCHER.matcher(sel.group(2));
            while (m.find()) {
                if (m.group(1).equals("__name__") && m.group(2).equals("=")) {
                    names.add(m.group(3));
                }
            }
            sel.appendReplacement(rest, Matcher.quoteReplacement(sel.group(1) == null ? " " : sel.group(1) + " "));
        }
        sel.appendTail(rest);
        e = rest.toString()
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")   // strings (function arguments)
                .replaceAll("\\[[^]]*]", " ");                   // range and subquery selectors
        e = GROUPING.matcher(e).replaceAll(" ");
        e = e.replaceAll("\\$\\{[^}]*}", " ").replaceAll("\\$\\w+", " "); // Grafana variables
        Matcher id = IDENT.matcher(e);
        while (id.find()) {
            boolean function = id.group(2) != null;
            String word = id.group(1);
            if (!function && !KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    /** The selectors with a metric name and their exact (=) matchers whose value holds no Grafana variable. */
    static List<Selector> selectors(String expr) {
        List<Selector> out = new ArrayList<>();
        Matcher sel = SELECTOR.matcher(expr);
        while (sel.find()) {
            if (sel.group(1) == null) {
                continue;
            }
            Map<String, String> eq = new LinkedHashMap<>();
            Matcher m = MATCHER.matcher(sel.group(2));
            while (m.find()) {
                if (m.group(2).equals("=") && !m.group(3).contains("$")) {
                    eq.put(m.group(1), m.group(3));
                }
            }
            if (!eq.isEmpty()) {
                out.add(new Selector(sel.group(1), eq));
            }
        }
        return out;
    }

    // ---- the Prometheus text format ----------------------------------------------------------------------------

    static final Pattern LABEL = Pattern.compile("([a-zA-Z_]\\w*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    static Map<String, List<Map<String, String>>> parseExposition(String text) {
        Map<String, List<Map<String, String>>> out = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            int end = brace >= 0 && (space < 0 || brace < space) ? brace : space;
            String name = line.substring(0, end);
            Map<String, String> labels = new HashMap<>();
            if (end == brace) {
                String body = line.substring(brace + 1, line.lastIndexOf('}'));
                Matcher m = LABEL.matcher(body);
                while (m.find()) {
                    labels.put(m.group(1), m.group(2));
                }
            }
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(labels);
        }
        return out;
    }
}
