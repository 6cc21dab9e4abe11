package dev.ccaasfailover.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Twilio Elastic SIP Trunking (docs/vendor-apis.md §7): the OriginationUrls of a trunk under {@code /v1}, list
 * (paged), create, fetch, update and delete, with HTTP Basic auth (Account SID + Auth Token, or API Key SID + secret)
 * and Twilio's JSON errors {@code {"code","message","more_info","status"}}.
 *
 * <p>Error codes: 20003 (Authenticate, 401), 20404 (not found), 20001 ("Missing required parameter X in the post
 * body", 400) and 20429 (too many requests) are Twilio's, seen in its docs and in answers quoted in client issues.
 * Twilio's codes for an out-of-range or malformed value are not confirmed: the simulator answers those with 20001
 * too (Twilio's generic invalid-request code) rather than guess a 21xxx code that means something else. 20004
 * (method not allowed) and 20500 (internal error) are Twilio codes chosen for those cases without an answer seen.
 * 32010 ("no valid/active origination URLs") is not an API answer: Twilio accepts the write that disables or
 * deletes a trunk's last enabled URL and raises 32010 as a Debugger alert when the next call finds none. The
 * simulator does the same: it accepts such a write and records the alert ({@link #alerts}), so a test can assert
 * that a client never left a trunk without an enabled URL.
 * <p>Size: one class per simulated vendor, so every Twilio refusal we model is in one file to check against §7.
 */
public class TwilioSimulator extends SimulatedHttpServer {

    public static final String API_BASE_PATH = "/v1";
    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 1000;
    private static final int MAX_FRIENDLY_NAME = 64;
    private static final int MAX_PRIORITY = 65535;
    private static final int MAX_WEIGHT = 65535;
    private static final Pattern TRUNK_SID = Pattern.compile("TK[0-9a-fA-F]{32}");
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final String ORIGINATION_URLS = API_BASE_PATH + "/Trunks/{trunkSid}/OriginationUrls";
    /**
     * Trunking v1 dates are ISO 8601 in UTC to the second ({@code 2018-05-07T20:20:46Z}): the spec's examples and the
     * generated clients (twilio-java's iso8601DateTimeFromString, twilio-go's time.Time), unlike the 2010 API's RFC 2822.
     */
    private static final DateTimeFormatter ISO_8601 = DateTimeFormatter.ISO_INSTANT;

    /** One origination URL as the simulator holds it. */
    public record StoredOriginationUrl(String sid, String friendlyName, String sipUrl, int priority, int weight,
                                       boolean enabled, Instant dateCreated, Instant dateUpdated) {
    }

    /** A trunk's URLs in creation order; {@code sequence} numbers keep page tokens valid across deletes. */
    private static final class Trunk {
        final String sid;
        final LinkedHashMap<String, Long> sequenceBySid = new LinkedHashMap<>();
        final LinkedHashMap<String, StoredOriginationUrl> urls = new LinkedHashMap<>();
        long nextSequence;

        Trunk(String sid) {
            this.sid = sid;
        }

        /** The Debugger alerts raised on this trunk, oldest first. */
        final List<String> alerts = new ArrayList<>();

        long enabledCount() {
            return urls.values().stream().filter(StoredOriginationUrl::enabled).count();
        }
    }

    private final Map<String, Trunk> trunks = new ConcurrentHashMap<>();
    private final Router router = new Router(false); // Twilio paths are case-sensitive: a wrong casing is a 20404
    private final SecureRandom random = new SecureRandom();
    private final String accountSid = randomSid("AC");
    private final String authToken = randomHex(32);
    private final String apiKeySid = randomSid("SK");
    private final String apiKeySecret = randomHex(32);

    public TwilioSimulator(int port) {
        super("twilio", port);
        router.add("GET", ORIGINATION_URLS, (req, p) -> list(trunk(p.get("trunkSid"), req), req))
                .add("POST", ORIGINATION_URLS, (req, p) -> create(trunk(p.get("trunkSid"), req), req))
                .add("GET", ORIGINATION_URLS + "/{sid}", (req, p) -> fetch(trunk(p.get("trunkSid"), req), p.get("sid"), req))
                .add("POST", ORIGINATION_URLS + "/{sid}", (req, p) -> update(trunk(p.get("trunkSid"), req), p.get("sid"), req))
                .add("DELETE", ORIGINATION_URLS + "/{sid}", (req, p) -> delete(trunk(p.get("trunkSid"), req), p.get("sid"), req));
    }

    @Override
    public TwilioSimulator start() {
        super.start();
        return this;
    }

    /** The API base a client is given, like {@code https://trunking.twilio.com/v1}. */
    public String apiBaseUrl() {
        return baseUrl() + API_BASE_PATH;
    }

    // ---- credentials ----

    public String accountSid() {
        return accountSid;
    }

    public String authToken() {
        return authToken;
    }

    public String apiKeySid() {
        return apiKeySid;
    }

    public String apiKeySecret() {
        return apiKeySecret;
    }

    // ---- seeding and inspection ----

    public void addTrunk(String trunkSid) {
        if (!TRUNK_SID.matcher(trunkSid).matches()) {
            throw new IllegalArgumentException("a trunk sid is TK followed by 32 hex digits: " + trunkSid);
        }
        trunks.putIfAbsent(trunkSid, new Trunk(trunkSid));
    }

    /** Seeds a URL directly (no request recorded); the same validation as a create, but any enabled state is allowed. */
    public String addOriginationUrl(String trunkSid, String friendlyName, String sipUrl, int priority, int weight,
                                    boolean enabled) {
        Trunk trunk = existingTrunk(trunkSid);
        try {
            validate(friendlyName, sipUrl, priority, weight);
        } catch (SimHttpException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        synchronized (trunk) {
            return insert(trunk, friendlyName, sipUrl, priority, weight, enabled).sid();
        }
    }

    /** The Debugger alerts a call would have met on the trunk (32010 after a write left no enabled URL), oldest first. */
    public List<String> alerts(String trunkSid) {
        Trunk trunk = existingTrunk(trunkSid);
        synchronized (trunk) {
            return List.copyOf(trunk.alerts);
        }
    }

    /** The trunk's URLs now, in listing order. */
    public List<StoredOriginationUrl> originationUrls(String trunkSid) {
        Trunk trunk = existingTrunk(trunkSid);
        synchronized (trunk) {
            return List.copyOf(trunk.urls.values());
        }
    }

    private Trunk existingTrunk(String trunkSid) {
        Trunk trunk = trunks.get(trunkSid);
        if (trunk == null) {
            throw new IllegalArgumentException("no such trunk " + trunkSid);
        }
        return trunk;
    }

    // ---- request handling ----

    @Override
    protected SimResponse handle(SimRequest request) throws Exception {
        Optional<String[]> credentials = request.basicCredentials();
        if (credentials.isEmpty() || !knownCredentials(credentials.get()[0], credentials.get()[1])) {
            return errorResponse(401, "20003", "Authenticate").withHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
        }
        return router.dispatch(request);
    }

    private boolean knownCredentials(String user, String password) {
        return (accountSid.equals(user) && authToken.equals(password))
                || (apiKeySid.equals(user) && apiKeySecret.equals(password));
    }

    @Override
    protected SimResponse errorResponse(int status, String code, String message) {
        int twilioCode = switch (code) {
            case "not.found" -> 20404;
            case "method.not.allowed" -> 20004;
            case "simulated.error", "internal.server.error" -> 20500;
            default -> code.matches("\\d{5}") ? Integer.parseInt(code) : 20001;
        };
        ObjectNode body = Json.object().put("code", twilioCode).put("message", message)
                .put("more_info", "https://www.twilio.com/docs/errors/" + twilioCode).put("status", status);
        return SimResponse.json(status, body);
    }

    @Override
    protected SimResponse rateLimitedResponse(int retryAfterSeconds) {
        return errorResponse(429, "20429", "Too Many Requests").withHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    private Trunk trunk(String trunkSid, SimRequest request) {
        Trunk trunk = trunks.get(trunkSid);
        if (trunk == null) {
            throw notFound(request);
        }
        return trunk;
    }

    private static SimHttpException notFound(SimRequest request) {
        return new SimHttpException(404, "20404", "The requested resource " + request.path().substring(API_BASE_PATH.length())
                + " was not found");
    }

    /** Keyset paging: {@code PageToken} is {@code PA<seq>} (after) or {@code PB<seq>} (before); {@code Page} is only echoed. */
    private SimResponse list(Trunk trunk, SimRequest request) {
        int pageSize = request.intParam("PageSize", DEFAULT_PAGE_SIZE, "20001");
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new SimHttpException(400, "20001", "PageSize must be between 1 and " + MAX_PAGE_SIZE);
        }
        int page = request.intParam("Page", 0, "20001");
        if (page < 0) {
            throw new SimHttpException(400, "20001", "Page must be 0 or more");
        }
        String token = request.param("PageToken");
        List<Map.Entry<Long, StoredOriginationUrl>> selected = new ArrayList<>();
        boolean more;
        boolean earlier;
        synchronized (trunk) {
            List<Map.Entry<Long, StoredOriginationUrl>> all = new ArrayList<>();
            trunk.urls.forEach((sid, url) -> all.add(Map.entry(trunk.sequenceBySid.get(sid), url)));
            int from;
            int to;
            if (token == null || token.isEmpty()) {
                // Page is "simply for client state" (the spec): without a PageToken the listing starts at the first
                from = 0;
                to = Math.min(pageSize, all.size());
            } else {
                long boundary = parseToken(token);
                if (token.startsWith("PA")) {
                    from = (int) all.stream().filter(e -> e.getKey() <= boundary).count();
                    to = Math.min(from + pageSize, all.size());
                } else {
                    to = (int) all.stream().filter(e -> e.getKey() < boundary).count();
                    from = Math.max(0, to - pageSize);
                }
            }
            selected.addAll(all.subList(from, to));
            more = to < all.size();
            earlier = from > 0;
        }
        String listUrl = baseUrl() + request.path();
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("origination_urls");
        selected.forEach(e -> items.add(json(trunk, e.getValue())));
        ObjectNode meta = body.putObject("meta");
        meta.put("page", page).put("page_size", pageSize)
                .put("first_page_url", listUrl + "?PageSize=" + pageSize + "&Page=0");
        if (earlier && !selected.isEmpty() && page > 0) {
            meta.put("previous_page_url", listUrl + "?PageSize=" + pageSize + "&Page=" + (page - 1)
                    + "&PageToken=PB" + selected.get(0).getKey());
        } else {
            meta.putNull("previous_page_url");
        }
        if (more && !selected.isEmpty()) {
            meta.put("next_page_url", listUrl + "?PageSize=" + pageSize + "&Page=" + (page + 1)
                    + "&PageToken=PA" + selected.get(selected.size() - 1).getKey());
        } else {
            meta.putNull("next_page_url");
        }
        meta.put("url", listUrl + "?PageSize=" + pageSize + "&Page=" + page
                + (token == null || token.isEmpty() ? "" : "&PageToken=" + token));
        meta.put("key", "origination_urls");
        return SimResponse.json(200, body);
    }

    private static long parseToken(String token) {
        if ((token.startsWith("PA") || token.startsWith("PB")) && token.substring(2).matches("\\d{1,18}")) {
            return Long.parseLong(token.substring(2));
        }
        throw new SimHttpException(400, "20001", "Invalid PageToken");
    }

    private SimResponse create(Trunk trunk, SimRequest request) {
        Map<String, List<String>> form = formBody(request);
        String weight = required(form, "Weight");
        String priority = required(form, "Priority");
        String enabled = required(form, "Enabled");
        String friendlyName = required(form, "FriendlyName");
        String sipUrl = required(form, "SipUrl");
        int weightValue = integer("Weight", weight);
        int priorityValue = integer("Priority", priority);
        boolean enabledValue = bool(enabled);
        validate(friendlyName, sipUrl, priorityValue, weightValue);
        StoredOriginationUrl created;
        synchronized (trunk) {
            created = insert(trunk, friendlyName, sipUrl, priorityValue, weightValue, enabledValue);
        }
        log.info("twilio trunk {}: created {} {} priority {} weight {} enabled {}", trunk.sid, created.sid(),
                created.sipUrl(), created.priority(), created.weight(), created.enabled());
        return SimResponse.json(201, json(trunk, created));
    }

    private SimResponse fetch(Trunk trunk, String sid, SimRequest request) {
        synchronized (trunk) {
            StoredOriginationUrl url = trunk.urls.get(sid);
            if (url == null) {
                throw notFound(request);
            }
            return SimResponse.json(200, json(trunk, url));
        }
    }

    /** Partial: any subset of the create parameters; an absent one keeps its value. */
    private SimResponse update(Trunk trunk, String sid, SimRequest request) {
        Map<String, List<String>> form = formBody(request);
        StoredOriginationUrl updated;
        synchronized (trunk) {
            StoredOriginationUrl current = trunk.urls.get(sid);
            if (current == null) {
                throw notFound(request);
            }
            String friendlyName = optional(form, "FriendlyName").orElse(current.friendlyName());
            String sipUrl = optional(form, "SipUrl").orElse(current.sipUrl());
            int priority = optional(form, "Priority").map(v -> integer("Priority", v)).orElse(current.priority());
            int weight = optional(form, "Weight").map(v -> integer("Weight", v)).orElse(current.weight());
            boolean enabled = optional(form, "Enabled").map(TwilioSimulator::bool).orElse(current.enabled());
            validate(friendlyName, sipUrl, priority, weight);
            if (current.enabled() && !enabled && trunk.enabledCount() == 1) {
                raiseNoActiveUrl(trunk, sid, "disabled");
            }
            updated = new StoredOriginationUrl(sid, friendlyName, sipUrl, priority, weight, enabled,
                    current.dateCreated(), now());
            trunk.urls.put(sid, updated);
        }
        log.info("twilio trunk {}: updated {} {} priority {} weight {} enabled {}", trunk.sid, sid, updated.sipUrl(),
                updated.priority(), updated.weight(), updated.enabled());
        return SimResponse.json(200, json(trunk, updated));
    }

    private SimResponse delete(Trunk trunk, String sid, SimRequest request) {
        synchronized (trunk) {
            StoredOriginationUrl current = trunk.urls.get(sid);
            if (current == null) {
                throw notFound(request);
            }
            if (current.enabled() && trunk.enabledCount() == 1) {
                raiseNoActiveUrl(trunk, sid, "deleted");
            }
            trunk.urls.remove(sid);
            trunk.sequenceBySid.remove(sid);
        }
        log.info("twilio trunk {}: deleted {}", trunk.sid, sid);
        return SimResponse.empty(204);
    }

    /** A write that takes the trunk from some enabled URL to none: accepted, and the next call would raise 32010. */
    private void raiseNoActiveUrl(Trunk trunk, String sid, String how) {
        String alert = "32010 trunk " + trunk.sid + " has no valid/active origination URLs (" + sid + " " + how + ")";
        trunk.alerts.add(alert);
        log.warn("twilio {}", alert);
    }

    // ---- parameters ----

    /**
     * Twilio reads parameters from a form body only. Any other body is not read, so its fields count as missing: a
     * create answers "Missing required parameter", an update with nothing readable changes nothing (as Twilio does
     * for a JSON body: twilio-chat-demo-android#147, twilio-contact-center#18).
     */
    private static Map<String, List<String>> formBody(SimRequest request) {
        String contentType = request.header("Content-Type");
        boolean form = contentType != null
                && contentType.toLowerCase(Locale.ROOT).split(";")[0].trim().equals(FORM);
        return form ? request.form() : Map.of();
    }

    private static String required(Map<String, List<String>> form, String name) {
        return optional(form, name)
                .orElseThrow(() -> new SimHttpException(400, "20001", "Missing required parameter " + name + " in the post body"));
    }

    private static Optional<String> optional(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new SimHttpException(400, "20001", "Invalid " + name + ": " + value + " is not an integer");
        }
    }

    private static boolean bool(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new SimHttpException(400, "20001", "Invalid Enabled: " + value + " is not true or false");
    }

    private static void validate(String friendlyName, String sipUrl, int priority, int weight) {
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new SimHttpException(400, "20001", "Invalid Priority: " + priority + " is not between 0 and " + MAX_PRIORITY);
        }
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new SimHttpException(400, "20001", "Invalid Weight: " + weight + " is not between 1 and " + MAX_WEIGHT);
        }
        if (friendlyName == null || friendlyName.isEmpty() || friendlyName.length() > MAX_FRIENDLY_NAME) {
            throw new SimHttpException(400, "20001", "Invalid FriendlyName: it must be 1 to " + MAX_FRIENDLY_NAME + " characters");
        }
        if (sipUrl == null || sipUrl.regionMatches(true, 0, "sips:", 0, 5)) {
            throw new SimHttpException(400, "20001", "Invalid SipUrl: sips is not supported, use a sip: URL");
        }
        if (!sipUrl.regionMatches(true, 0, "sip:", 0, 4) || sipUrl.length() == 4 || sipUrl.chars().anyMatch(Character::isWhitespace)) {
            throw new SimHttpException(400, "20001", "Invalid SipUrl: " + sipUrl + " is not a sip: URL");
        }
    }

    // ---- rendering ----

    private StoredOriginationUrl insert(Trunk trunk, String friendlyName, String sipUrl, int priority, int weight,
                                        boolean enabled) {
        Instant now = now();
        StoredOriginationUrl url = new StoredOriginationUrl(randomSid("OU"), friendlyName, sipUrl, priority, weight,
                enabled, now, now);
        trunk.urls.put(url.sid(), url);
        trunk.sequenceBySid.put(url.sid(), trunk.nextSequence++);
        return url;
    }

    private ObjectNode json(Trunk trunk, StoredOriginationUrl url) {
        return Json.object()
                .put("account_sid", accountSid)
                .put("sid", url.sid())
                .put("trunk_sid", trunk.sid)
                .put("weight", url.weight())
                .put("enabled", url.enabled())
                .put("sip_url", url.sipUrl())
                .put("friendly_name", url.friendlyName())
                .put("priority", url.priority())
                .put("date_created", ISO_8601.format(url.dateCreated().truncatedTo(ChronoUnit.SECONDS)))
                .put("date_updated", ISO_8601.format(url.dateUpdated().truncatedTo(ChronoUnit.SECONDS)))
                .put("url", apiBaseUrl() + "/Trunks/" + trunk.sid + "/OriginationUrls/" + url.sid());
    }

    private String randomSid(String prefix) {
        return prefix + randomHex(16);
    }

    private String randomHex(int bytes) {
        byte[] raw = new byte[bytes];
        random.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }
}
