package dev.ccaasfailover.context;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.store.ForwardPut;
import dev.ccaasfailover.store.GuardedWrite;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores events for customer context: validates every element of a request before writing any, then writes them
 * all in one {@link Store#putGuarded} call (the event-id dedupe item guards each event's caller and call items),
 * and answers only after that write is durable. A repeated event id is a duplicate, not an error.
 *
 * <p>IVRState heartbeats go to their call's partition only, not to the caller's stream of call events: each also
 * carries, in the same guarded write, a {@link ForwardPut} of the caller's single latest-IVR item
 * ({@link ContextTables#LATEST_IVR_SK}) ordered by the heartbeat's sort key, which the store applies only if it is
 * newer than what the item holds, and for a duplicate only if it is the same heartbeat again (same dedupe data:
 * callId and timestamp). So the item never moves backwards in time, an event that reuses a heartbeat's id never
 * touches it, a retried heartbeat repairs it if a crash lost its put (DynamoDB), and (embedded store) it is durable
 * in the same transaction as the events, with no window in which a crash leaves it behind them.
 * <p>Size: validation of a whole batch before any write, then the durable write and the per-element answer: one
 * request's rules together.
 */
public class EventIngest {

    public static final int MAX_EVENTS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(EventIngest.class);
    private static final ObjectWriter EVENT_WRITER = Json.MAPPER.writerFor(CanonicalEvent.class);

    private final EventTranslator translator;
    private final Store store;
    private final Clock clock;
    private final Duration retention;
    private final Duration maxFutureSkew;

    /**
     * @param maxFutureSkewMs how far past this server's clock an event may be dated (failover.events.max-future-skew-ms)
     */
    public EventIngest(EventTranslator translator, Store store, Clock clock, int retentionDays, long maxFutureSkewMs) {
        this.translator = translator;
        this.store = store;
        this.clock = clock;
        this.retention = Duration.ofDays(retentionDays);
        this.maxFutureSkew = Duration.ofMillis(maxFutureSkewMs);
    }

    /**
     * POST /events as the route calls it: the request bytes go to Jackson's UTF-8 parser as they are, without first
     * being decoded to a String (JSON is UTF-8, RFC 8259).
     */
    public Map<String, Object> ingestBytes(byte[] body) {
        return ingest(parse(body)).response();
    }

    public static JsonNode parse(byte[] body) {
        if (body == null || isBlank(body)) {
            throw ApiException.badRequest("body", "empty; send one event or an array of events");
        }
        Json.requireUtf8(body);
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("body", "not readable (" + e.getMessage() + ")");
        }
    }

    /** Only JSON whitespace (what String.isBlank sees in such a body; other blanks are invalid JSON anyway). */
    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    public static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("body", "empty; send one event or an array of events");
        }
        try {
            return Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /** What a request did: per element stored, duplicate or ignored. */
    public record Outcome(int stored, int duplicates, int ignored, List<Result> results) {
        public Map<String, Object> response() {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("accepted", stored);
            r.put("duplicates", duplicates);
            r.put("ignored", ignored);
            r.put("results", results);
            return r;
        }
    }

    /**
     * One element's result as the answer shows it: {@code {"eventId":…,"result":"stored"|"duplicate"}}, or
     * {@code {"index":…,"result":"ignored","reason":…}} for a known payload with nothing for context. (A record, not a
     * map: 500 of them are written per array, and Jackson writes a record's fixed properties without a lookup each.)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"index", "eventId", "result", "reason"})
    public record Result(Integer index, String eventId, String result, String reason) {
        static Result stored(String eventId) {
            return new Result(null, eventId, "stored", null);
        }

        static Result duplicate(String eventId) {
            return new Result(null, eventId, "duplicate", null);
        }

        static Result ignored(int index, String reason) {
            return new Result(index, null, "ignored", reason);
        }
    }

    /** Validates and stores one event or an array of them (an SNS or SQS message, or a POST body). */
    public Outcome ingest(JsonNode root) {
        List<JsonNode> elements = new ArrayList<>();
        boolean array = root.isArray();
        if (array) {
            if (root.isEmpty()) {
                throw ApiException.badRequest("body", "an empty array; send 1 to " + MAX_EVENTS + " events");
            }
            if (root.size() > MAX_EVENTS) {
                throw ApiException.badRequest("body", root.size() + " events; at most " + MAX_EVENTS + " per request");
            }
            root.forEach(elements::add);
        } else {
            elements.add(root);
        }

        // 1. Validate every element; nothing is written if one is bad.
        Instant now = clock.instant();
        List<EventTranslator.Translation> translations = new ArrayList<>(elements.size());
        for (int i = 0; i < elements.size(); i++) {
            String at = array ? "[" + i + "]." : "";
            EventTranslator.Translation t = translator.translate(elements.get(i), at);
            if (!t.ignored()) {
                checkTime(t.event(), now, at + "timestamp");
            }
            translations.add(t);
        }
        List<CanonicalEvent> events = withPhones(translations, array);

        // 2. One durable write for all of them.
        List<GuardedWrite> writes = new ArrayList<>(events.size());
        for (CanonicalEvent e : events) {
            if (e != null) {
                writes.add(write(e, now));
            }
        }
        List<Boolean> written = store.putGuarded(writes);

        List<Result> results = new ArrayList<>(events.size());
        int stored = 0;
        int duplicates = 0;
        int ignored = 0;
        int w = 0;
        for (int i = 0; i < events.size(); i++) {
            CanonicalEvent e = events.get(i);
            if (e == null) {
                ignored++;
                results.add(Result.ignored(i, "no customer context in " + translations.get(i).ignoredKind()));
            } else if (written.get(w++)) {
                stored++;
                results.add(Result.stored(e.eventId()));
            } else {
                duplicates++;
                results.add(Result.duplicate(e.eventId()));
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("Ingest: {} stored, {} duplicate, {} ignored (first caller {})", stored, duplicates, ignored,
                    events.stream().filter(e -> e != null).findFirst().map(e -> PhoneMask.mask(e.phoneNumber())).orElse("-"));
        }
        return new Outcome(stored, duplicates, ignored, results);
    }

    /**
     * An event dated past now plus the skew would stay its caller's newest call and current intent for ever (retention
     * counts from the event's time); one older than the retention is expired before anyone could read it. Neither is
     * acknowledged.
     */
    private void checkTime(CanonicalEvent e, Instant now, String field) {
        Instant t = e.instant();
        if (t.isAfter(now.plus(maxFutureSkew))) {
            throw ApiException.badRequest(field, e.timestamp() + " is later than this server's clock (" + CanonicalEvent.format(now)
                    + ") plus " + maxFutureSkew.toMillis() + " ms (failover.events.max-future-skew-ms): check the sender's clock and units");
        }
        if (!t.plus(retention).isAfter(now)) {
            throw ApiException.badRequest(field, e.timestamp() + " is older than the retention of " + retention.toDays()
                    + " days (failover.store.retention-days): it would expire before it could be read");
        }
    }

    /** Events that left out the caller's number take it from their call (this request first, then the store). */
    private List<CanonicalEvent> withPhones(List<EventTranslator.Translation> translations, boolean array) {
        Map<String, String> phoneOfCall = new HashMap<>();
        for (EventTranslator.Translation t : translations) {
            if (!t.ignored() && t.event().phoneNumber() != null) {
                phoneOfCall.putIfAbsent(t.event().callId(), t.event().phoneNumber());
            }
        }
        List<CanonicalEvent> events = new ArrayList<>(translations.size());
        for (int i = 0; i < translations.size(); i++) {
            EventTranslator.Translation t = translations.get(i);
            if (t.ignored()) {
                events.add(null);
                continue;
            }
            CanonicalEvent e = t.event();
            if (e.phoneNumber() == null) {
                String phone = phoneOfCall.computeIfAbsent(e.callId(), this::phoneOfStoredCall);
                if (phone == null) {
                    throw ApiException.badRequest((array ? "[" + i + "]." : "") + "phoneNumber",
                            "missing, and no earlier event of this call carries it");
                }
                e = e.withPhoneNumber(phone);
            }
            events.add(e);
        }
        return events;
    }

    private String phoneOfStoredCall(String callId) {
        List<StoreItem> items = store.query(ContextTables.CALLS, callId, 1);
        return items.isEmpty() ? null : readEvent(items.get(0).data()).phoneNumber();
    }

    private static StoreItem latestIvrItem(CanonicalEvent e, String json, Instant expires) {
        return StoreItem.of(ContextTables.EVENTS, e.phoneNumber(), ContextTables.LATEST_IVR_SK, json, expires);
    }

    /**
     * The items of one validated event (dedupe guard, caller item, call item), as ingest writes them. A heartbeat has
     * no caller item: it reaches the caller's partition as a forward put of the caller's latest-IVR item.
     */
    GuardedWrite write(CanonicalEvent e, Instant now) {
        String json = writeEvent(e);
        Instant expires = e.instant().plus(retention);
        // The dedupe item lives at least a retention from now, so a late retry of an old event is still a duplicate.
        Instant dedupeExpires = expires.isAfter(now.plus(retention)) ? expires : now.plus(retention);
        String dedupe = "{\"callId\":" + quoted(e.callId()) + ",\"timestamp\":" + quoted(e.timestamp()) + "}";
        String sortKey = e.sortKey();
        StoreItem callItem = StoreItem.of(ContextTables.CALLS, e.callId(), sortKey, json, expires);
        return new GuardedWrite(
                StoreItem.of(ContextTables.DEDUPE, e.eventId(), ContextTables.DEDUPE_SK, dedupe, dedupeExpires),
                e.type().isHeartbeat() ? List.of(callItem)
                        : List.of(StoreItem.of(ContextTables.EVENTS, e.phoneNumber(), sortKey, json, expires), callItem),
                e.type().isHeartbeat() ? List.of(new ForwardPut(latestIvrItem(e, json, expires), sortKey)) : List.of());
    }

    /**
     * The event's JSON exactly as the mapper writes a {@link CanonicalEvent} (its property order, nulls left out,
     * the same string escapes; {@link #writeEventWithMapper} is the reference of the property test), written
     * directly: the mapper's generator setup per event cost as much as validating it.
     */
    static String writeEvent(CanonicalEvent e) {
        StringBuilder b = new StringBuilder(320);
        b.append('{');
        field(b, "eventId", e.eventId());
        field(b, "type", e.type() == null ? null : e.type().name());
        field(b, "platform", e.platform());
        field(b, "callId", e.callId());
        field(b, "phoneNumber", e.phoneNumber());
        field(b, "timestamp", e.timestamp());
        field(b, "queueId", e.queueId());
        field(b, "intent", e.intent());
        field(b, "agentId", e.agentId());
        field(b, "currentStep", e.currentStep());
        field(b, "agentPreference", e.agentPreference());
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value == null) {
            return;
        }
        if (b.length() > 1) {
            b.append(',');
        }
        b.append('"').append(name).append("\":");
        quoted(b, value);
    }

    static String writeEventWithMapper(CanonicalEvent e) {
        try {
            return EVENT_WRITER.writeValueAsString(e);
        } catch (JsonProcessingException x) {
            throw new IllegalStateException("cannot serialise an event", x);
        }
    }

    /** A JSON string literal (two per event: cheaper than a Map through the mapper). */
    private static String quoted(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quoted(b, s);
        return b.toString();
    }

    /** Appends s as a JSON string literal, escaped as Jackson's generator does (the common case copied as is). */
    private static void quoted(StringBuilder b, String s) {
        b.append('"');
        if (plain(s)) {
            b.append(s);
        } else {
            JsonStringEncoder.getInstance().quoteAsString(s, b);
        }
        b.append('"');
    }

    /** Nothing to escape: no control character, quote or backslash. */
    private static boolean plain(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    static CanonicalEvent readEvent(String json) {
        try {
            return Json.MAPPER.readValue(json, CanonicalEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored event is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
