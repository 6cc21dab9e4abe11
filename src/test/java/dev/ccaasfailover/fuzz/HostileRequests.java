package dev.ccaasfailover.fuzz;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded generator of hostile requests for every endpoint of docs/architecture.md. Each request carries one main defect
 * (its {@code kind}: a bad path parameter, hostile query names, odd headers, a malformed or wrong-typed body, an odd
 * content type, a wrong method, or bytes only a raw socket sends), an auth variant, and a unique canary in every part
 * it controls. {@code mustRefuse} is what the contract says: the request is one the service has to answer with 4xx.
 */
final class HostileRequests {

    enum Body { NONE, EVENTS, RUN, CARRIER, SNS, JOLOKIA }

    record Endpoint(String name, String method, String template, String base, String role, Body body) {

        String path(String param) {
            int a = template.indexOf('{');
            return a < 0 ? template : template.substring(0, a) + param + template.substring(template.indexOf('}') + 1);
        }

        boolean templated() {
            return template.contains("{");
        }
    }

    static final String CONTEXT_NAME = "ccaas-failover";
    static final String SNS_TOPIC = "arn:aws:sns:us-east-1:123456789012:fuzz-events";
    static final String PHONE = "+13175550199";
    static final String CALL = "fuzz-call-1";

    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("POST /events", "POST", "/events", null, "ingest", Body.EVENTS),
            new Endpoint("POST /events/sns", "POST", "/events/sns", null, null, Body.SNS),
            new Endpoint("GET /context/{phoneNumber}", "GET", "/context/{phoneNumber}", "%2B13175550199", "context", Body.NONE),
            new Endpoint("GET /calls/{callId}", "GET", "/calls/{callId}", CALL, "context", Body.NONE),
            new Endpoint("GET /calls/{callId}/context", "GET", "/calls/{callId}/context", CALL, "context", Body.NONE),
            new Endpoint("GET /routing/queues/{queueId}/decision", "GET", "/routing/queues/{queueId}/decision", "q-billing", "context", Body.NONE),
            new Endpoint("GET /status", "GET", "/status", null, "admin", Body.NONE),
            new Endpoint("POST /failover", "POST", "/failover", null, "admin", Body.RUN),
            new Endpoint("POST /failback", "POST", "/failback", null, "admin", Body.RUN),
            new Endpoint("POST /carrier/apply", "POST", "/carrier/apply", null, "admin", Body.CARRIER),
            new Endpoint("GET /runs", "GET", "/runs", null, "admin", Body.NONE),
            new Endpoint("GET /runs/{runId}", "GET", "/runs/{runId}", "run-fuzz-1", "admin", Body.NONE),
            new Endpoint("GET /observe/health", "GET", "/observe/health", null, null, Body.NONE),
            new Endpoint("GET /observe/metrics", "GET", "/observe/metrics", null, null, Body.NONE),
            new Endpoint("GET /observe/jolokia", "GET", "/observe/jolokia", null, "admin", Body.JOLOKIA),
            new Endpoint("POST /observe/jolokia", "POST", "/observe/jolokia", null, "admin", Body.JOLOKIA));

    private static final String CAMEL_CONTEXT_MBEAN = "org.apache.camel:context=" + CONTEXT_NAME + ",type=context,name=\"" + CONTEXT_NAME + "\"";
    private static final String ROUTE_MBEAN = "org.apache.camel:context=" + CONTEXT_NAME + ",type=routes,name=\"store-retention\"";

    private final Random rnd;
    private final Map<String, String> tokens;
    private final Map<String, Integer> sent = new java.util.HashMap<>();
    private long counter;

    /** @param tokens role → its bearer token (ingest, context, admin) */
    HostileRequests(long seed, Map<String, String> tokens) {
        this.rnd = new Random(seed);
        this.tokens = tokens;
    }

    /** A request being built: the defect chosen first, then auth, then serialised. */
    private final class Draft {
        final Endpoint e;
        final String canary;
        String method;
        String path;
        final List<String[]> query = new ArrayList<>();
        final List<String[]> headers = new ArrayList<>();
        byte[] body;
        String contentType;
        String kind;
        boolean mustRefuse;
        String rawDefect;

        Draft(Endpoint e) {
            this.e = e;
            this.canary = "zq" + Long.toString(counter++, 36) + letters(6) + "qz";
            this.method = e.method;
            this.path = e.path(e.base);
        }
    }

    HostileRequest next(Endpoint e) {
        Draft d = new Draft(e);
        if (e.body != Body.NONE && e.method.equals("POST")) {
            d.contentType = e.body == Body.SNS ? "text/plain; charset=UTF-8" : "application/json";
            d.body = baseBody(d);
        }
        String authMode = auth(d);
        // Each endpoint first meets every path value, raw defect and body defect once, in order; then chance decides.
        int n = sent.merge(e.name(), 1, Integer::sum) - 1;
        int paths = e.templated() ? PATH_VALUES.length : 0;
        int bodies = d.body != null ? BODY_DEFECTS.length : 0;
        int family = rnd.nextInt(100);
        if (n < paths) {
            pathDefect(d, PATH_VALUES[n], false);
        } else if (n < paths + RAW_DEFECTS.length) {
            d.rawDefect = RAW_DEFECTS[n - paths];
            d.kind = "raw:" + d.rawDefect;
        } else if (n < paths + RAW_DEFECTS.length + bodies) {
            bodyDefect(d, BODY_DEFECTS[n - paths - RAW_DEFECTS.length]);
        } else if (family < 8) {
            d.kind = "auth-only";
        } else if (family < 22) {
            pathDefect(d);
        } else if (family < 36) {
            queryDefect(d);
        } else if (family < 46) {
            headerDefect(d);
        } else if (family < 50) {
            methodDefect(d);
        } else if (family < 62) {
            d.rawDefect = pick(RAW_DEFECTS);
            d.kind = "raw:" + d.rawDefect;
        } else if (d.body != null && family < 70) {
            contentTypeDefect(d);
        } else if (d.body != null || e.body == Body.JOLOKIA) {
            bodyDefect(d);
        } else {
            queryDefect(d);
        }
        if (rnd.nextInt(100) < 30 && !d.kind.startsWith("query")) {
            reflectable(d);
        }
        if (!authMode.equals("valid")) {
            d.kind = d.kind + " auth:" + authMode;
        }
        if (e.body == Body.JOLOKIA && d.method.equals("POST") && d.body != null && !jolokiaReadOnly(d.body)) {
            d.mustRefuse = true; // with the admin token Jolokia still only reads (DESIGN)
            d.kind = d.kind + " op:jolokia-exec-or-malformed";
        }
        return build(d);
    }

    /** A Jolokia request (one or a bulk array) made only of read, list, search and version. */
    private static boolean jolokiaReadOnly(byte[] body) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = dev.ccaasfailover.http.Json.MAPPER.readTree(body);
            List<com.fasterxml.jackson.databind.JsonNode> all = new ArrayList<>();
            if (n != null && n.isArray()) {
                n.forEach(all::add);
            } else if (n != null) {
                all.add(n);
            }
            return !all.isEmpty() && all.stream().allMatch(r -> r.isObject()
                    && List.of("read", "list", "search", "version").contains(r.path("type").asText()));
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }

    // ---- auth -------------------------------------------------------------------------------------------------

    private String auth(Draft d) {
        String role = d.e.role;
        String valid = role == null ? tokens.get("admin") : tokens.get(role);
        int r = rnd.nextInt(100);
        String mode;
        if (r < 62) {
            mode = "valid";
            d.headers.add(0, new String[]{"Authorization", "Bearer " + valid});
        } else if (r < 70) {
            mode = "wrong-role";
            // The admin token may call every endpoint (BearerTokenAuthorizer): a wrong role is another non-admin one.
            String other = pick(tokens.entrySet().stream().filter(t -> !t.getKey().equals(role)
                    && (role == null || "admin".equals(role) || !t.getKey().equals("admin"))).map(Map.Entry::getValue).toList());
            d.headers.add(0, new String[]{"Authorization", "Bearer " + other});
        } else if (r < 78) {
            mode = "missing";
        } else if (r < 86) {
            mode = "garbage";
            d.headers.add(0, new String[]{"Authorization", pick(List.of("Bearer", "Bearer ", "Bearer " + d.canary,
                    "Basic " + b64("admin:" + d.canary), "Token " + valid, "Bearer " + "x".repeat(4000) + d.canary,
                    "Bearer null", "Bearer undefined", "Bearer %00" + d.canary, "Digest username=\"" + d.canary + "\""))});
        } else if (r < 94) {
            mode = "smuggled";
            smuggle(d, valid);
        } else {
            mode = "valid-plus-junk";
            if (rnd.nextBoolean()) {
                d.headers.add(0, new String[]{"Authorization", pick(List.of("Bearer " + valid + d.canary, "Bearer " + valid + " " + valid,
                        "Bearer " + valid + ",Bearer " + d.canary, "Basic " + b64(valid + ":" + valid)))});
            } else {
                // Two Authorization headers, a wrong one first: not a list header, so the request is malformed.
                d.headers.add(0, new String[]{"Authorization", "Bearer " + d.canary});
                d.headers.add(1, new String[]{"Authorization", "Bearer " + valid});
            }
        }
        if (role != null && !mode.equals("valid")) {
            d.mustRefuse = true; // a role endpoint (Jolokia included) answers nothing without the right bearer header
        }
        return mode;
    }

    /** The right token anywhere but the Authorization header: the query, a form field, a cookie, another header. */
    private void smuggle(Draft d, String token) {
        switch (rnd.nextInt(6)) {
            case 0 -> d.query.add(new String[]{"Authorization", enc("Bearer " + token)});
            case 1 -> d.query.add(new String[]{pick(List.of("access_token", "token", "authorization", "bearer")), enc(token)});
            case 2 -> d.headers.add(new String[]{pick(List.of("X-Authorization", "Proxy-Authorization", "X-Auth-Token", "X-Forwarded-Authorization")),
                    "Bearer " + token});
            case 3 -> d.headers.add(new String[]{"Cookie", "Authorization=Bearer%20" + token + "; sid=" + d.canary});
            default -> {
                if (d.body != null) {
                    d.contentType = "application/x-www-form-urlencoded";
                    d.body = ("Authorization=" + enc("Bearer " + token) + "&reason=" + d.canary + "&dryRun=true&Set-Cookie=sid%3D" + d.canary)
                            .getBytes(StandardCharsets.US_ASCII);
                } else {
                    d.query.add(new String[]{"Authorization", enc("Bearer " + token)});
                }
            }
        }
    }

    // ---- path -------------------------------------------------------------------------------------------------

    private static final String[][] PATH_VALUES = {
            {"null", "null"}, {"undefined", "undefined"}, {"dotdot-slash", "..%2F"}, {"dotdot-status", "..%2F..%2Fstatus"},
            {"dotdot-encoded", "%2e%2e%2f%2e%2e%2fstatus"}, {"double-encoded", "%252e%252e%252f"}, {"nul", "%00"},
            {"nul-inside", "a%00b"}, {"invalid-utf8", "%C3%28"}, {"invalid-utf8-ff", "%FF%FE"}, {"overlong-utf8", "%C0%AF"},
            {"rtl-override", "%E2%80%AE"}, {"emoji", "%F0%9F%98%80"}, {"crlf-header", "%0d%0aSet-Cookie:%20sid%3D"},
            {"simple-expression", "%24%7Bheader.Authorization%7D"}, {"simple-sys", "%24%7Bsys.user.home%7D"},
            {"placeholder-token", "%7B%7Bfailover.security.token.admin%7D%7D"}, {"placeholder-env", "%7B%7Benv:PATH%7D%7D"},
            {"spel", "%23%7B1%2B1%7D"}, {"blank", "%20"}, {"empty", ""}, {"minus-one", "-1"}, {"zero", "0"},
            {"float-overflow", "1e309"}, {"nan", "NaN"}, {"long-number", "99999999999999999999999999"},
            {"arabic-digits", "%D9%A3%D9%A1%D9%A7%D9%A5%D9%A5%D9%A5"}, {"encoded-slash", "x%2Fy"}, {"backslash", "%5C..%5C"},
            {"star", "*"}, {"matrix", ";jsessionid="}, {"encoded-question", "%3F"}, {"encoded-hash", "%23"},
            {"phone-separators", "%2B1%20(317)%20555-0199"}, {"phone-tel", "tel:%2B13175550199"}, {"phone-dots", "1.317.555.0199"},
            {"sql", "%27%20OR%201%3D1--"}, {"json", "%7B%22a%22%3A1%7D"}, {"bad-escape", "%zz"}, {"lone-percent", "%"},
            {"u-escape", "%u0041"}, {"huge", "HUGE"},
    };

    private void pathDefect(Draft d) {
        pathDefect(d, PATH_VALUES[rnd.nextInt(PATH_VALUES.length)], rnd.nextBoolean());
    }

    private void pathDefect(Draft d, String[] v, boolean withCanary) {
        String value = v[1].equals("HUGE") ? d.canary + "A".repeat(3000 + rnd.nextInt(6000)) : v[1];
        if (withCanary || v[0].startsWith("crlf")) {
            value = value + d.canary;
        }
        if (d.e.templated()) {
            d.path = d.e.path(value);
        } else {
            // No parameter: mangle the path itself (suffixes, dot segments, case, separators).
            d.path = pick(List.of(d.e.template + "/" + value, d.e.template + ";" + value, d.e.template + "%2F" + value,
                    "/." + d.e.template, "/" + value + "/.." + d.e.template, d.e.template.toUpperCase(),
                    "/" + d.e.template, d.e.template + "/", d.e.template + "%00" + d.canary, d.e.template + "/..%2F" + value));
        }
        d.kind = "path:" + v[0];
    }

    // ---- query ------------------------------------------------------------------------------------------------

    private static final String[] REFLECTABLE = {"Set-Cookie", "Location", "Refresh", "Access-Control-Allow-Origin",
            "Access-Control-Allow-Credentials", "Content-Type", "Content-Disposition", "Cache-Control", "Link",
            "Strict-Transport-Security", "WWW-Authenticate", "Retry-After", "Server", "X-Frame-Options", "Vary"};

    /** A response-header name as a query parameter with a canary value: it must never come back as a header. */
    private void reflectable(Draft d) {
        String name = rnd.nextInt(4) == 0 ? "X-" + d.canary : pick(List.of(REFLECTABLE));
        String value = switch (name) {
            case "Set-Cookie" -> "sid%3D" + d.canary;
            case "Location", "Access-Control-Allow-Origin" -> enc("https://" + d.canary + ".example/");
            case "Refresh" -> enc("0;url=https://" + d.canary + ".example/");
            default -> d.canary;
        };
        d.query.add(new String[]{name, value});
    }

    private void queryDefect(Draft d) {
        int r = rnd.nextInt(12);
        String label;
        switch (r) {
            case 0, 1, 2 -> {
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    reflectable(d);
                }
                label = "reflectable-names";
            }
            case 3 -> {
                String name = pick(List.of("CamelHttpResponseCode", "CamelHttpResponseText", "CamelHttpUri", "CamelHttpPath",
                        "CamelHttpQuery", "CamelHttpMethod", "CamelHttpCharacterEncoding", "CamelContentType", "CamelHttpRawQuery",
                        "CamelVertxPlatformHttpAuthenticatedUser", "CamelAcceptContentType", "CamelSkipGzipEncoding"));
                d.query.add(new String[]{name, pick(List.of("500", "302", "0", "-1", "999", d.canary, enc("http://" + d.canary + ".example/")))});
                label = "camel-header-names";
            }
            case 4 -> {
                String param = d.e.templated() ? d.e.template.substring(d.e.template.indexOf('{') + 1, d.e.template.indexOf('}'))
                        : pick(List.of("phoneNumber", "callId", "queueId", "runId"));
                d.query.add(new String[]{param, pick(List.of(d.canary, "null", "%00" + d.canary, "..%2F" + d.canary))});
                label = "path-parameter-override";
            }
            case 5 -> {
                d.query.add(new String[]{pick(List.of("a%3Ab", "%00", "a%0d%0aX-" + d.canary, "%C3%A9", "%FF", "", "%20", "a%20b",
                        "%3A", "(", "a%2Cb", "%0a")), d.canary});
                label = "illegal-header-names";
            }
            case 6 -> {
                d.query.add(new String[]{pick(List.of("X-" + d.canary, "q", "limit")),
                        pick(List.of("%0d%0aSet-Cookie:%20a%3D", "%00", "%C3%28", "%FF", "%E2%80%AE", "%0a%20")) + d.canary});
                label = "illegal-header-values";
            }
            case 7 -> {
                d.query.add(new String[]{"limit", pick(List.of("-1", "0", "1e9", "abc", "99999999999999999999999", "%00", "1.5",
                        "2147483648", " 5", "5%0d%0a", "NaN", "0x10")) + (rnd.nextBoolean() ? d.canary : "")});
                label = "limit-values";
            }
            case 8 -> {
                d.query.add(new String[]{"q" + d.canary + "N".repeat(2000 + rnd.nextInt(3000)), "1"});
                label = "huge-name";
            }
            case 9 -> {
                d.query.add(new String[]{"X-" + d.canary, "V".repeat(3000 + rnd.nextInt(5000))});
                label = "huge-value";
            }
            case 10 -> {
                int n = 50 + rnd.nextInt(250);
                for (int i = 0; i < n; i++) {
                    d.query.add(new String[]{"p" + i, d.canary});
                }
                label = "many-params";
            }
            default -> {
                String name = pick(List.of("Set-Cookie", "X-" + d.canary, "Location"));
                d.query.add(new String[]{name, "a" + d.canary});
                d.query.add(new String[]{name, "b" + d.canary});
                label = "repeated-names";
            }
        }
        d.kind = "query:" + label;
    }

    // ---- headers ----------------------------------------------------------------------------------------------

    private void headerDefect(Draft d) {
        int r = rnd.nextInt(10);
        String label;
        switch (r) {
            case 0 -> {
                d.headers.add(new String[]{pick(List.of("X-Forwarded-Host", "X-Forwarded-For", "Forwarded", "X-Real-IP", "X-Original-URL",
                        "X-Rewrite-URL", "X-Forwarded-Proto", "X-Forwarded-Prefix")), d.canary + ".example"});
                label = "proxy-headers";
            }
            case 1 -> {
                d.headers.add(new String[]{"Origin", "https://" + d.canary + ".example"});
                if (rnd.nextBoolean()) {
                    d.headers.add(new String[]{"Access-Control-Request-Method", "DELETE"});
                    d.headers.add(new String[]{"Access-Control-Request-Headers", "x-" + d.canary});
                }
                label = "cors";
            }
            case 2 -> {
                d.headers.add(new String[]{pick(List.of("CamelHttpResponseCode", "CamelHttpUri", "CamelHttpPath", "CamelHttpMethod",
                        "CamelHttpQuery", "CamelContentType")), pick(List.of("500", "302", d.canary, "http://" + d.canary + ".example/"))});
                label = "camel-header-names";
            }
            case 3 -> {
                d.headers.add(new String[]{"Accept", pick(List.of("text/html", "application/xml", "*/*;q=0", "image/png",
                        "application/json;q=0, text/" + d.canary, "", "x/" + d.canary))});
                label = "accept";
            }
            case 4 -> {
                d.headers.add(new String[]{pick(List.of("Accept-Encoding", "Accept-Charset", "Accept-Language", "TE", "Range",
                        "If-None-Match", "If-Modified-Since", "X-HTTP-Method-Override", "Content-Encoding")),
                        pick(List.of("gzip, deflate, br", "utf-16", "bytes=0-1", "DELETE", d.canary, "gzip", "*;q=0"))});
                label = "negotiation";
            }
            case 5 -> {
                d.headers.add(new String[]{"X-" + d.canary, "V".repeat(5000 + rnd.nextInt(2000))});
                label = "long-value";
            }
            case 6 -> {
                int n = 60 + rnd.nextInt(60);
                for (int i = 0; i < n; i++) {
                    d.headers.add(new String[]{"X-F" + i, d.canary});
                }
                label = "many-headers";
            }
            case 7 -> {
                d.headers.add(new String[]{"Cookie", "sid=" + d.canary + "; Authorization=" + d.canary});
                label = "cookie";
            }
            case 8 -> {
                d.headers.add(new String[]{pick(List.of("x-amz-sns-message-type", "x-amz-sns-message-id", "x-amz-sns-topic-arn")),
                        pick(List.of("Notification", "SubscriptionConfirmation", d.canary, "Notification\t" + d.canary))});
                label = "sns-headers";
            }
            default -> {
                d.headers.add(new String[]{"X-Request-Id", d.canary});
                d.headers.add(new String[]{"X-Correlation-Id", d.canary});
                d.headers.add(new String[]{"traceparent", "00-" + d.canary + "-01"});
                label = "trace-ids";
            }
        }
        d.kind = "header:" + label;
    }

    // ---- method -----------------------------------------------------------------------------------------------

    private void methodDefect(Draft d) {
        String m = pick(List.of("PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO", "PROPFIND",
                d.e.method.equals("GET") ? "POST" : "GET"));
        d.method = m;
        if (m.equals("POST") && d.body == null) {
            d.body = ("{\"x\":\"" + d.canary + "\"}").getBytes(StandardCharsets.UTF_8);
            d.contentType = "application/json";
        }
        if (!m.equals("OPTIONS") && !m.equals("HEAD") && !(d.e.body == Body.JOLOKIA && (m.equals("GET") || m.equals("POST")))) {
            d.mustRefuse = true;
        }
        d.kind = "method:" + m;
    }

    // ---- content type -----------------------------------------------------------------------------------------

    private void contentTypeDefect(Draft d) {
        String ct = pick(List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/xml",
                "text/html", "application/jsonx", "*/*", "application/octet-stream", "none", "application/json, text/plain",
                "application/json; charset=" + d.canary, "image/png"));
        switch (ct) {
            case "application/x-www-form-urlencoded" -> d.body = ("reason=" + d.canary + "&dryRun=true&phoneNumber=" + enc(PHONE)
                    + "&Set-Cookie=sid%3D" + d.canary).getBytes(StandardCharsets.US_ASCII);
            case "multipart/form-data" -> {
                ct = "multipart/form-data; boundary=" + d.canary;
                d.body = ("--" + d.canary + "\r\nContent-Disposition: form-data; name=\"Set-Cookie\"\r\n\r\nsid=" + d.canary
                        + "\r\n--" + d.canary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + d.canary + ".json\"\r\n"
                        + "Content-Type: application/json\r\n\r\n" + new String(d.body, StandardCharsets.UTF_8) + "\r\n--" + d.canary + "--\r\n")
                        .getBytes(StandardCharsets.UTF_8);
            }
            default -> {
            }
        }
        d.contentType = ct.equals("none") ? null : ct;
        // JSON endpoints take JSON only (DESIGN: 415); SNS is unsigned here whatever its type; Jolokia follows auth.
        if (d.e.body == Body.EVENTS || d.e.body == Body.RUN || d.e.body == Body.CARRIER) {
            d.mustRefuse |= !ct.equals("none");
        } else if (d.e.body == Body.SNS) {
            d.mustRefuse = true;
        }
        d.kind = "content-type:" + (ct.startsWith("multipart") ? "multipart/form-data" : ct.startsWith("application/json; charset=")
                ? "json-odd-charset" : ct);
    }

    // ---- bodies -----------------------------------------------------------------------------------------------

    private byte[] baseBody(Draft d) {
        return switch (d.e.body) {
            case EVENTS -> event(d.canary).getBytes(StandardCharsets.UTF_8);
            case RUN -> ("{\"reason\":\"fuzz " + d.canary + "\",\"dryRun\":true}").getBytes(StandardCharsets.UTF_8);
            case CARRIER -> "{\"dryRun\":true,\"prefer\":\"primary\"}".getBytes(StandardCharsets.UTF_8);
            case SNS -> sns(d.canary, Map.of()).getBytes(StandardCharsets.UTF_8);
            case JOLOKIA -> jolokia(d.canary).getBytes(StandardCharsets.UTF_8);
            case NONE -> null;
        };
    }

    static String event(String canary) {
        return "{\"eventId\":\"ev-" + canary + "\",\"type\":\"CallStarted\",\"platform\":\"genesys\",\"callId\":\"call-" + canary
                + "\",\"phoneNumber\":\"" + PHONE + "\",\"timestamp\":\"" + Instant.now().minusSeconds(30) + "\",\"intent\":\"billing\"}";
    }

    private String sns(String canary, Map<String, String> override) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("Type", "Notification");
        m.put("MessageId", "msg-" + canary);
        m.put("TopicArn", SNS_TOPIC);
        m.put("Subject", "events");
        m.put("Message", event(canary));
        m.put("Timestamp", Instant.now().toString());
        m.put("SignatureVersion", pick(List.of("1", "2")));
        m.put("Signature", b64(canary));
        // Never a real SNS host: the fuzz must not reach the network (loopback closed ports and refused schemes only).
        m.put("SigningCertURL", pick(List.of("https://127.0.0.1:1/SimpleNotificationService-" + canary + ".pem",
                "http://127.0.0.1:1/cert.pem", "file:///etc/passwd", "", "::::" + canary, "jar:file:/x!/" + canary,
                "https://sns.us-east-1.amazonaws.com@127.0.0.1:1/" + canary + ".pem", "https://localhost:1/" + canary)));
        m.put("UnsubscribeURL", "https://127.0.0.1:1/unsubscribe?" + canary);
        m.putAll(override);
        return dev.ccaasfailover.http.Json.write(m);
    }

    private String jolokia(String canary) {
        String tokenProbe = "language:simple:{{failover.security.token.admin}}";
        return pick(List.of(
                "{\"type\":\"version\"}",
                "{\"type\":\"list\",\"path\":\"java.lang/type=Memory\"}",
                "{\"type\":\"search\",\"mbean\":\"org.apache.camel:*\"}",
                "{\"type\":\"read\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"HeapMemoryUsage\"}",
                "{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}",
                "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\",\"operation\":\"vmFlags\",\"arguments\":[[]]}",
                "{\"type\":\"exec\",\"mbean\":" + q(CAMEL_CONTEXT_MBEAN) + ",\"operation\":\"requestBody(java.lang.String,java.lang.Object)\",\"arguments\":[" + q(tokenProbe) + ",\"" + canary + "\"]}",
                "{\"type\":\"exec\",\"mbean\":" + q(CAMEL_CONTEXT_MBEAN) + ",\"operation\":\"sendBody(java.lang.String,java.lang.Object)\",\"arguments\":[\"bean:eventIngest?method=ingestBytes\"," + q(event(canary)) + "]}",
                "{\"type\":\"exec\",\"mbean\":" + q(CAMEL_CONTEXT_MBEAN) + ",\"operation\":\"createEndpoint(java.lang.String)\",\"arguments\":[\"log:" + canary + "\"]}",
                "{\"type\":\"exec\",\"mbean\":" + q(ROUTE_MBEAN) + ",\"operation\":\"stop()\"}",
                "{\"type\":\"write\",\"mbean\":\"java.lang:type=Memory\",\"attribute\":\"Verbose\",\"value\":true}",
                "[{\"type\":\"version\"},{\"type\":\"exec\",\"mbean\":\"java.lang:type=Memory\",\"operation\":\"gc\"}]",
                "{\"type\":\"" + canary + "\"}",
                "{\"type\":\"read\",\"mbean\":\"" + canary + ":type=x\",\"attribute\":\"A\"}"));
    }

    private static final String[] BODY_DEFECTS = {"wrong-type", "null-field", "missing-field", "huge-string", "deep-nesting",
            "deep-nesting-field", "invalid-utf8", "duplicate-key", "trailing-data", "comment", "single-quotes", "unquoted-names",
            "nan", "leading-zero", "huge-number", "long-number", "scalar", "oversize", "empty", "whitespace", "bom", "log-forging",
            "control-chars", "kind-specific", "kind-specific", "kind-specific"};

    private void bodyDefect(Draft d) {
        bodyDefect(d, pick(List.of(BODY_DEFECTS)));
    }

    private void bodyDefect(Draft d, String defect) {
        if (d.e.body == Body.JOLOKIA && d.e.method.equals("GET")) {
            jolokiaGet(d);
            return;
        }
        String json = new String(d.body, StandardCharsets.UTF_8);
        boolean refuse = true;
        String label = defect;
        String field = firstField(json);
        switch (defect) {
            case "wrong-type" -> {
                String f = pick(fields(d.e.body));
                String v = pick(List.of("{}", "[]", "true", "false", "[\"" + d.canary + "\"]", "{\"$gt\":\"\"}", "{\"a\":\"" + d.canary + "\"}"));
                if (f.equals("dryRun") && (v.equals("true") || v.equals("false"))) {
                    v = "[false]"; // a boolean there is no wrong type, and a plain false would be a real run
                }
                json = setField(json, f, v);
                label = "wrong-type:" + f;
            }
            case "null-field" -> {
                String f = pick(required(d.e.body));
                json = setField(json, f, "null");
                label = "null:" + f;
            }
            case "missing-field" -> {
                String f = pick(required(d.e.body));
                json = removeField(json, f);
                label = "missing:" + f;
            }
            case "huge-string" -> {
                String f = pick(fields(d.e.body));
                json = setField(json, f, "\"" + d.canary + "HUGE".repeat(25_000) + "\"");
                label = "huge-string:" + f;
            }
            case "deep-nesting" -> {
                int depth = 2000 + rnd.nextInt(8000);
                json = rnd.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                        : "{\"a\":".repeat(depth) + "\"" + d.canary + "\"" + "}".repeat(depth);
            }
            case "deep-nesting-field" -> json = setField(json, field, "[".repeat(1500) + "\"" + d.canary + "\"" + "]".repeat(1500));
            case "invalid-utf8" -> {
                byte[] bad = pick(List.of(new byte[]{(byte) 0xC3, 0x28}, new byte[]{(byte) 0xFF}, new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                        new byte[]{(byte) 0xC0, (byte) 0xAF}, new byte[]{(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                        new byte[]{(byte) 0xE2, (byte) 0x82}));
                int at = json.indexOf(d.canary);
                at = at < 0 ? json.indexOf('"', 2) : at;
                d.body = concat(json.substring(0, at).getBytes(StandardCharsets.UTF_8), bad, json.substring(at).getBytes(StandardCharsets.UTF_8));
                d.kind = "body:" + label;
                d.mustRefuse = true;
                return;
            }
            case "duplicate-key" -> {
                json = duplicate(d.e.body, json, d.canary);
                label = "duplicate-key";
            }
            case "trailing-data" -> json = json + pick(List.of(" x", "{}", ",", "]", "\u0000", " //c", " /*c*/", "\n" + json, " " + d.canary, "}"));
            case "comment" -> json = json.replaceFirst("\\{", "{/* " + d.canary + " */");
            case "single-quotes" -> json = json.replace('"', '\'');
            case "unquoted-names" -> json = json.replaceFirst("\"([A-Za-z]+)\":", "$1:");
            case "nan" -> json = setField(json, field, pick(List.of("NaN", "Infinity", "-Infinity")));
            case "leading-zero" -> json = setField(json, field, pick(List.of("007", "0x1f", "+1", ".5", "1.", "--1")));
            case "huge-number" -> json = setField(json, field, pick(List.of("1e999999", "-1e999999", "1" + "0".repeat(400) + ".5")));
            case "long-number" -> json = setField(json, field, "9".repeat(2000 + rnd.nextInt(20_000)));
            case "scalar" -> json = pick(List.of("null", "true", "1", "\"" + d.canary + "\"", "[]", "[null]", "[1]", "{}", "[[]]", "\"\""));
            case "oversize" -> json = "{\"pad\":\"" + d.canary + "P".repeat(300_000) + "\"}";
            case "empty" -> json = "";
            case "whitespace" -> json = pick(List.of(" ", "\r\n", "\t\t"));
            case "bom" -> {
                d.body = concat(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, d.body);
                d.kind = "body:bom";
                d.mustRefuse |= d.e.body == Body.SNS;
                return;
            }
            case "log-forging" -> {
                String text = switch (d.e.body) {
                    case EVENTS -> "intent";
                    case RUN -> "reason";
                    case CARRIER -> "prefer";
                    case SNS -> "Type";
                    default -> "type";
                };
                json = setField(json, text, "\"x\\r\\n12:00:00.000 ERROR FORGED " + d.canary + "\\n\"");
                refuse = false;
            }
            case "control-chars" -> json = setField(json, field, "\"\\u0000\\u0007\\u001b[31m" + d.canary + "\"");
            default -> {
                kindSpecific(d, json);
                return;
            }
        }
        d.body = json.getBytes(StandardCharsets.UTF_8);
        d.kind = "body:" + label;
        // A free-text field may carry anything printable; whether control or forged lines are refused is up to the endpoint.
        if (defect.equals("control-chars") && List.of("reason", "intent", "queueId", "agentId", "currentStep").contains(field)) {
            refuse = false;
        }
        d.mustRefuse |= refuse || d.e.body == Body.SNS;
    }

    /** Defects that only mean something for one endpoint's body. */
    private void kindSpecific(Draft d, String json) {
        String label;
        boolean refuse = true;
        switch (d.e.body) {
            case EVENTS -> {
                int r = rnd.nextInt(9);
                switch (r) {
                    case 0 -> {
                        json = setField(json, "timestamp", pick(List.of("\"2999-01-01T00:00:00Z\"", "\"2100-01-01T00:00:00Z\"",
                                "\"" + Instant.now().plus(Duration.ofDays(2)) + "\"")));
                        label = "timestamp-future";
                    }
                    case 1 -> {
                        json = setField(json, "timestamp", "\"" + Instant.now().minus(Duration.ofDays(200)) + "\"");
                        label = "timestamp-beyond-retention";
                    }
                    case 2 -> {
                        json = setField(json, "timestamp", pick(List.of("\"yesterday\"", "\"2026-13-45T99:00:00Z\"", "\"2026-05-01T10:00:00\"",
                                "-1", "1.5", "\"\"", "\"1e309\"")));
                        label = "timestamp-invalid";
                    }
                    case 3 -> {
                        json = setField(json, "phoneNumber", pick(List.of("\"" + d.canary + "\"", "\"+1\"", "\"000\"", "\"++13175550199\"",
                                "\"+13175550199;ext=" + d.canary + "\"", "\"+1317555019" + "9".repeat(40) + "\"", "\"\\u0663\\u0661\\u0667\"")));
                        label = "phone-invalid";
                    }
                    case 4 -> {
                        json = setField(json, "phoneNumber", pick(List.of("\"(317) 555-0199\"", "\"tel:+1 317-555-0199\"", "\"1.317.555.0199\"",
                                "\"317 555 0199\"")));
                        label = "phone-formats";
                        refuse = false;
                    }
                    case 5 -> {
                        StringBuilder b = new StringBuilder("[");
                        for (int i = 0; i < 501; i++) {
                            b.append(i == 0 ? "" : ",").append(event(d.canary + i));
                        }
                        json = b.append(']').toString();
                        label = "too-many-events";
                    }
                    case 6 -> {
                        json = "[" + json + "," + setField(json, "type", "\"" + d.canary + "\"") + "]";
                        label = "array-one-bad";
                    }
                    case 7 -> {
                        json = setField(json, pick(List.of("type", "platform")), pick(List.of("\"" + d.canary + "\"", "\"CALLSTARTED\\u0000\"", "\"\"")));
                        label = "enum-invalid";
                    }
                    default -> {
                        // Ids may hold ._:@/+=#~- (EventTranslator.isId): "../" is legal there, a space, NUL, % or < is not.
                        json = setField(json, pick(List.of("callId", "eventId")), pick(List.of("\"a b" + d.canary + "\"",
                                "\"" + d.canary + "\\u0000\"", "\"" + d.canary + "%00\"", "\"" + d.canary + "<script>\"")));
                        label = "id-invalid";
                    }
                }
            }
            case RUN -> {
                int r = rnd.nextInt(10);
                String dry = pick(List.of("null", "\"true\"", "\"false\"", "0", "1", "[]", "{}", "\"yes\""));
                switch (r) {
                    case 0, 1 -> {
                        json = setField(json, "dryRun", dry);
                        label = "dryRun-not-boolean";
                    }
                    case 2 -> {
                        json = removeField(json, "dryRun");
                        label = "dryRun-missing";
                    }
                    case 3 -> {
                        json = json.replace("\"dryRun\":true", pick(List.of("\"dryRun\":true,\"dryRun\":false", "\"dryRun\":false,\"dryRun\":true",
                                "\"dryRun\":true,\"dryRun\":true", "\"dryRun\":true,\"force\":true,\"dryRun\":false")));
                        label = "dryRun-duplicate";
                    }
                    case 4 -> {
                        json = json.replace("\"dryRun\"", pick(List.of("\"dryrun\"", "\"DryRun\"", "\"dry_run\"", "\"dryRun \"")));
                        label = "dryRun-misspelt";
                    }
                    case 5 -> {
                        json = setField(json, "force", pick(List.of("\"true\"", "1", "[]", "\"yes\"")));
                        label = "force-not-boolean";
                    }
                    case 6 -> {
                        json = setField(json, "reason", pick(List.of("\"\"", "\"   \"", "123", "\"" + "R".repeat(501) + d.canary + "\"")));
                        label = "reason-invalid";
                    }
                    case 7 -> {
                        json = setField(json, "force", "true");
                        label = "dry-run-forced";
                        refuse = false;
                    }
                    case 8 -> {
                        json = json.replace("\"dryRun\":true", "\"dryRun\":true" + pick(List.of(",\"extra\":1", ",\"runId\":\"" + d.canary + "\"", ",\"__proto__\":{}")));
                        label = "unknown-field";
                    }
                    default -> {
                        json = json.replace("true}", "true} " + pick(List.of("{\"dryRun\":false}", "x", ",\"dryRun\":false}")));
                        label = "trailing-second-request";
                    }
                }
            }
            case CARRIER -> {
                int r = rnd.nextInt(5);
                switch (r) {
                    case 0 -> {
                        json = setField(json, "dryRun", pick(List.of("null", "\"true\"", "\"false\"", "0", "1", "[]", "{}")));
                        label = "dryRun-not-boolean";
                    }
                    case 1 -> {
                        json = removeField(json, "dryRun");
                        label = "dryRun-missing";
                    }
                    case 2 -> {
                        json = setField(json, "prefer", pick(List.of("\"\"", "\"nice\"", "\"PRIMARY \"", "\"" + d.canary + "\"", "1",
                                "[\"secondary\"]")));
                        label = "prefer-invalid";
                    }
                    case 3 -> {
                        json = json.replace("\"dryRun\":true", pick(List.of("\"dryRun\":true,\"dryRun\":false", "\"dryrun\":false,\"dryRun\":true")));
                        label = "dryRun-duplicate-or-misspelt";
                    }
                    default -> {
                        json = json.replace("\"dryRun\":true", "\"dryRun\":true" + pick(List.of(",\"trunkSid\":\"" + d.canary + "\"",
                                ",\"sipUrl\":\"sip:" + d.canary + "@evil.example\"", ",\"__proto__\":{}")));
                        label = "unknown-field";
                    }
                }
            }
            case SNS -> {
                int r = rnd.nextInt(6);
                Map<String, String> o = switch (r) {
                    case 0 -> Map.of("Type", pick(List.of("SubscriptionConfirmation", "UnsubscribeConfirmation", d.canary,
                            "Notification\r\n12:00:00.000 ERROR FORGED " + d.canary, d.canary + "T".repeat(20_000))));
                    case 1 -> Map.of("TopicArn", pick(List.of("arn:aws:sns:us-east-1:123456789012:other", SNS_TOPIC + "\n12:00:00.000 ERROR FORGED " + d.canary,
                            SNS_TOPIC + "A".repeat(10_000), "")));
                    case 2 -> Map.of("SignatureVersion", pick(List.of("0", "3", "1\n", "", "99999999999999999999")));
                    case 3 -> Map.of("Signature", pick(List.of("", "!!!not-base64!!!", "A".repeat(50_000), d.canary)));
                    case 4 -> Map.of("SubscribeURL", "https://127.0.0.1:1/confirm?" + d.canary, "Type", "SubscriptionConfirmation", "Token", d.canary);
                    default -> Map.of("Message", pick(List.of("not json " + d.canary, "[" + event(d.canary) + "] x", "{\"eventId\":1}")));
                };
                json = sns(d.canary, o);
                label = "sns-" + List.of("type", "topic", "signature-version", "signature", "subscribe-url", "message").get(r);
            }
            default -> {
                json = jolokia(d.canary);
                label = "jolokia-operation";
                refuse = false;
            }
        }
        d.body = json.getBytes(StandardCharsets.UTF_8);
        d.kind = "body:" + label;
        d.mustRefuse |= refuse || d.e.body == Body.SNS;
    }

    private void jolokiaGet(Draft d) {
        String ctx = enc(CAMEL_CONTEXT_MBEAN).replace("%3D", "=").replace("%2C", ",").replace("%3A", ":");
        String[][] paths = {
                {"version", "/version", "read"}, {"list", "/list/java.lang/type=Memory", "read"}, {"search", "/search/org.apache.camel:*", "read"},
                {"read", "/read/java.lang:type=Memory/HeapMemoryUsage", "read"}, {"exec-gc", "/exec/java.lang:type=Memory/gc", "exec"},
                {"exec-route-stop", "/exec/org.apache.camel:context=" + CONTEXT_NAME + ",type=routes,name=%22store-retention%22/stop()", "exec"},
                {"exec-request-body", "/exec/" + ctx + "/requestBody(java.lang.String,java.lang.Object)/language:simple:%7B%7Bfailover.security.token.admin%7D%7D/" + d.canary, "exec"},
                {"write", "/write/java.lang:type=Memory/Verbose/true", "exec"}, {"unknown", "/" + d.canary, "exec"},
                {"callback", "/version?callback=" + d.canary, "read"}, {"mime-type", "/version?mimeType=text/html%3B" + d.canary, "read"},
                {"escapes", "/read/java.lang:type=Memory/..%2F..%2F" + d.canary, "exec"},
        };
        String[] p = paths[rnd.nextInt(paths.length)];
        d.path = d.e.template + p[1];
        d.kind = "jolokia-get:" + p[0];
        // With the admin token only reads pass; a JSONP callback or a chosen mime type is a way to make the answer not JSON.
        d.mustRefuse |= p[2].equals("exec");
    }

    private static List<String> fields(Body b) {
        return switch (b) {
            case EVENTS -> List.of("eventId", "type", "platform", "callId", "phoneNumber", "timestamp", "intent");
            case RUN -> List.of("reason", "dryRun");
            case CARRIER -> List.of("dryRun", "prefer");
            case SNS -> List.of("Type", "MessageId", "TopicArn", "Message", "SignatureVersion", "Signature", "SigningCertURL");
            default -> List.of("type", "mbean");
        };
    }

    private static List<String> required(Body b) {
        return switch (b) {
            case EVENTS -> List.of("eventId", "type", "platform", "callId", "phoneNumber", "timestamp");
            case RUN -> List.of("reason", "dryRun");
            case CARRIER -> List.of("dryRun");
            case SNS -> List.of("Type", "TopicArn", "Signature", "SigningCertURL");
            default -> List.of("type");
        };
    }

    private static String duplicate(Body b, String json, String canary) {
        return switch (b) {
            case EVENTS -> json.replace("\"phoneNumber\":", "\"phoneNumber\":\"+13175550188\",\"phoneNumber\":");
            case RUN, CARRIER -> json.replace("\"dryRun\":true", "\"dryRun\":true,\"dryRun\":false");
            case SNS -> json.replace("\"TopicArn\":", "\"TopicArn\":\"" + canary + "\",\"TopicArn\":");
            default -> json.replaceFirst("\"type\":", "\"type\":\"version\",\"type\":");
        };
    }

    /** Replaces a top-level field's value (or adds the field) in a flat JSON object written by this class. */
    private static String setField(String json, String field, String value) {
        if (!json.startsWith("{")) {
            return json;
        }
        String removed = removeField(json, field);
        return removed.equals("{}") ? "{\"" + field + "\":" + value + "}" : "{\"" + field + "\":" + value + "," + removed.substring(1);
    }

    private static String removeField(String json, String field) {
        com.fasterxml.jackson.databind.node.ObjectNode n;
        try {
            n = (com.fasterxml.jackson.databind.node.ObjectNode) dev.ccaasfailover.http.Json.MAPPER.readTree(json);
        } catch (Exception e) {
            return json;
        }
        n.remove(field);
        return dev.ccaasfailover.http.Json.write(n);
    }

    private static String firstField(String json) {
        int a = json.indexOf('"');
        int b = a < 0 ? -1 : json.indexOf('"', a + 1);
        return b < 0 ? "type" : json.substring(a + 1, b);
    }

    // ---- serialising ------------------------------------------------------------------------------------------

    private static final String[] RAW_DEFECTS = {"bad-escape", "raw-utf8-target", "ctl-in-target", "space-in-target",
            "header-ctl-byte", "header-latin1", "bare-lf", "obs-fold", "space-before-colon", "no-colon", "empty-header-name",
            "huge-header", "many-headers", "huge-uri", "cl-cl", "cl-te", "bad-chunk", "cl-negative", "cl-huge", "cl-alpha",
            "http10-no-host", "no-host", "two-hosts", "absolute-form", "bad-version", "lowercase-method", "expect-continue"};

    private HostileRequest build(Draft d) {
        StringBuilder target = new StringBuilder(d.path);
        for (int i = 0; i < d.query.size(); i++) {
            target.append(i == 0 ? '?' : '&').append(d.query.get(i)[0]).append('=').append(d.query.get(i)[1]);
        }
        List<String[]> headers = new ArrayList<>(d.headers);
        if (d.contentType != null && d.body != null) {
            headers.add(new String[]{"Content-Type", d.contentType});
        }
        boolean write = d.e.method.equals("POST") || d.e.body == Body.JOLOKIA || d.method.equals("POST");
        byte[] raw = d.rawDefect != null ? raw(d, target.toString(), headers) : null;
        return new HostileRequest(d.e.name, d.kind, d.method, target.toString(), headers, d.body, raw, d.mustRefuse, write, d.canary);
    }

    private byte[] raw(Draft d, String target, List<String[]> headers) {
        String method = d.method;
        String version = "HTTP/1.1";
        List<String> lines = new ArrayList<>();
        String host = "Host: 127.0.0.1";
        byte[] body = d.body == null ? new byte[0] : d.body;
        String framing = d.body == null ? null : "Content-Length: " + body.length;
        String extra = null;
        switch (d.rawDefect) {
            case "bad-escape" -> target = target + (target.contains("?") ? "&" : "?") + pick(List.of("a=%zz", "%=1", "a=%u0041", "a=%G1"));
            case "raw-utf8-target" -> target = target + "/\u00c3\u00a9\u00ff" + d.canary;
            case "ctl-in-target" -> target = target + "\u0001" + d.canary;
            case "space-in-target" -> target = target + " " + d.canary;
            case "header-ctl-byte" -> extra = "X-A: a\u0001\u007f" + d.canary;
            case "header-latin1" -> extra = "X-" + d.canary + ": caf\u00e9\u00ff" + d.canary;
            case "obs-fold" -> extra = "X-A: a\r\n  folded" + d.canary;
            case "space-before-colon" -> {
                extra = "Authorization : Bearer " + tokens.get(d.e.role == null ? "admin" : d.e.role);
                headers.removeIf(h -> h[0].equals("Authorization"));
                d.mustRefuse = true;
            }
            case "no-colon" -> extra = "X-" + d.canary;
            case "empty-header-name" -> extra = ": " + d.canary;
            case "huge-header" -> extra = "X-" + d.canary + ": " + "H".repeat(10_000 + rnd.nextInt(10_000));
            case "many-headers" -> {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < 400; i++) {
                    b.append(i == 0 ? "" : "\r\n").append("X-M").append(i).append(": ").append(d.canary);
                }
                extra = b.toString();
            }
            case "huge-uri" -> target = target + (target.contains("?") ? "&" : "?") + "u=" + d.canary + "U".repeat(9_000 + rnd.nextInt(10_000));
            case "cl-cl" -> {
                framing = "Content-Length: " + body.length + "\r\nContent-Length: " + (body.length + 5);
                d.mustRefuse = true;
            }
            case "cl-te" -> {
                framing = "Content-Length: " + (body.length + 3) + "\r\nTransfer-Encoding: chunked";
                body = chunk(body);
            }
            case "bad-chunk" -> {
                framing = "Transfer-Encoding: chunked";
                body = ("zz\r\n" + d.canary + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                d.mustRefuse = true;
            }
            case "cl-negative" -> {
                framing = "Content-Length: -1";
                d.mustRefuse = true;
            }
            case "cl-huge" -> {
                framing = "Content-Length: 99999999999999999999";
                d.mustRefuse = true;
            }
            case "cl-alpha" -> {
                framing = "Content-Length: " + d.canary;
                d.mustRefuse = true;
            }
            case "http10-no-host" -> {
                version = "HTTP/1.0";
                host = null;
            }
            case "no-host" -> {
                host = null;
                d.mustRefuse = true;
            }
            case "two-hosts" -> {
                host = "Host: 127.0.0.1\r\nHost: " + d.canary + ".example";
                d.mustRefuse = true;
            }
            case "absolute-form" -> target = "http://" + d.canary + ".example" + target;
            case "bad-version" -> version = pick(List.of("HTTP/9.9", "HTTP/1.1x", "http/1.1", "HTTP/1"));
            case "lowercase-method" -> method = method.toLowerCase();
            case "expect-continue" -> extra = "Expect: 100-continue";
            case "bare-lf" -> {
            }
            default -> throw new IllegalStateException(d.rawDefect);
        }
        if (host != null) {
            lines.add(host);
        }
        for (String[] h : headers) {
            lines.add(h[0] + ": " + h[1]);
        }
        if (extra != null) {
            lines.add(extra);
        }
        if (framing != null) {
            lines.add(framing);
        }
        lines.add("Connection: close");
        String eol = d.rawDefect.equals("bare-lf") ? "\n" : "\r\n";
        String head = method + " " + target + " " + version + eol + String.join(eol, lines) + eol + eol;
        return concat(head.getBytes(StandardCharsets.ISO_8859_1), body);
    }

    private static byte[] chunk(byte[] body) {
        return concat((Integer.toHexString(body.length) + "\r\n").getBytes(StandardCharsets.US_ASCII), body,
                "\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    // ---- small helpers ----------------------------------------------------------------------------------------

    private <T> T pick(List<T> options) {
        return options.get(rnd.nextInt(options.size()));
    }

    private String pick(String[] options) {
        return options[rnd.nextInt(options.length)];
    }

    private String letters(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('a' + rnd.nextInt(26)));
        }
        return b.toString();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String q(String s) {
        return dev.ccaasfailover.http.Json.write(s);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
