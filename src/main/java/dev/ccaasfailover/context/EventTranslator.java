package dev.ccaasfailover.context;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.config.Platform;
import dev.ccaasfailover.http.ApiException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One element of an ingest request (canonical, or a vendor's native shape per {@link EventMappings}) to a validated
 * {@link CanonicalEvent}. Pure: no store, no clock. Every refusal is a 400 naming the field.
 */
public final class EventTranslator {

    /** What one element became: an event to store, or a known kind with nothing for context. */
    public record Translation(CanonicalEvent event, String ignoredKind) {
        public boolean ignored() {
            return event == null;
        }
    }

    private static final int MAX_TEXT = 256;
    static final Pattern ID = Pattern.compile("[\\p{Alnum}._:@/+=#~-]{1,200}");
    private static final String ID_PUNCTUATION = "._:@/+=#~-";
    // Years 2000-2999 only: a mistyped epoch-seconds value would otherwise land in 1970.
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2999-12-31T23:59:59Z");

    private final EventMappings mappings;
    private final PhoneNormalizer phones;

    public EventTranslator(EventMappings mappings, PhoneNormalizer phones) {
        this.mappings = mappings;
        this.phones = phones;
    }

    public PhoneNormalizer phones() {
        return phones;
    }

    /**
     * @param at field prefix for errors: "" for a single event, "[3]." for the fourth of an array
     */
    public Translation translate(JsonNode element, String at) {
        if (element == null || !element.isObject()) {
            throw ApiException.badRequest(at.isEmpty() ? "body" : at.substring(0, at.length() - 1),
                    "an event must be a JSON object");
        }
        if (element.has("type") && element.has("platform")) {
            return canonical(element, at);
        }
        for (EventMappings.Format f : mappings.formats()) {
            if (present(element.at(f.detect()))) {
                return vendor(f, element, at);
            }
        }
        throw ApiException.badRequest(at + "type", "missing: neither a canonical event (type, platform) nor a known vendor"
                + " payload (see mappings/events.yaml)");
    }

    private Translation canonical(JsonNode e, String at) {
        String typeText = text(e.get("type"), at + "type");
        EventType type = EventType.parse(typeText).orElseThrow(() -> ApiException.badRequest(at + "type",
                "unknown event type '" + clip(typeText) + "'; one of CallStarted, QueueEntered, TransferInitiated, CallEnded, IVRState"));
        String platform = platform(text(e.get("platform"), at + "platform"), at);
        JsonNode ts = e.get("timestamp");
        if (ts != null && ts.isNumber()) {
            throw ApiException.badRequest(at + "timestamp", "not an ISO-8601 timestamp (write e.g. 2026-05-01T10:00:00Z)");
        }
        String eventId = requiredId(text(e.get("eventId"), at + "eventId"), at + "eventId");
        return new Translation(build(at, eventId, type, platform, text(e.get("callId"), at + "callId"), text(e.get("phoneNumber"), at + "phoneNumber"),
                ts, text(e.get("queueId"), at + "queueId"), text(e.get("intent"), at + "intent"), text(e.get("agentId"), at + "agentId"),
                text(e.get("currentStep"), at + "currentStep"),
                text(e.get("agentPreference"), at + "agentPreference")), null);
    }

    private Translation vendor(EventMappings.Format f, JsonNode e, String at) {
        String kind = text(e.at(f.typeFrom()), at + path(f.typeFrom()));
        if (kind == null) {
            throw ApiException.badRequest(at + "type", "missing: " + f.name() + " needs " + f.typeFrom());
        }
        String stripped = kind.startsWith(f.stripPrefix()) ? kind.substring(f.stripPrefix().length()) : kind;
        Optional<EventType> mapped = f.types().get(stripped);
        if (mapped == null) {
            throw ApiException.badRequest(at + "type", "unknown event type '" + clip(kind) + "' for " + f.name()
                    + " (mappings/events.yaml)");
        }
        EventType type = mapped.orElse(null);
        String disconnect = f.transferFrom() == null ? null : text(e.at(f.transferFrom()), at + path(f.transferFrom()));
        if (disconnect != null && f.transferValues().contains(disconnect)) {
            type = EventType.TransferInitiated;
        }
        if (type == null) {
            return new Translation(null, f.name() + " " + stripped);
        }
        String media = f.mediaFrom() == null ? null : text(e.at(f.mediaFrom()), at + path(f.mediaFrom()));
        if (media != null && !f.voiceMedia().contains(media)) {
            String ani = field(f, e, "phoneNumber", at);
            if (ani == null || phones.toE164(ani).isEmpty()) {
                // context is keyed by the caller's number, and a NICE IVR looks a caller up by it: nothing to key this by
                return new Translation(null, f.name() + " " + stripped + " (" + clip(media)
                        + " with no phone number)");
            }
        }
        String callId = field(f, e, "callId", at);
        JsonNode ts = node(f, e, "timestamp");
        String eventId = field(f, e, "eventId", at);
        if (eventId == null) {
            eventId = derivedId(f.platform().id(), callId, type, ts == null ? null : ts.asText(), field(f, e, "currentStep", at));
        }
        return new Translation(build(at, requiredId(eventId, at + "eventId"), type, f.platform().id(), callId,
                field(f, e, "phoneNumber", at), ts, field(f, e, "queueId", at), field(f, e, "intent", at), field(f, e, "agentId", at),
                field(f, e, "currentStep", at), field(f, e, "agentPreference", at)), null);
    }

    private CanonicalEvent build(String at, String eventId, EventType type, String platform, String callId, String phone,
                                 JsonNode timestamp, String queueId, String intent, String agentId, String currentStep,
                                 String agentPreference) {
        String call = requiredId(callId, at + "callId");
        String e164 = null;
        if (phone != null) {
            e164 = phones.toE164(phone).orElseThrow(() -> ApiException.badRequest(at + "phoneNumber",
                    "not a phone number (region " + phones.defaultRegion() + " for numbers without a country code)"));
        } else if (type == EventType.CallStarted) {
            // Other kinds may leave it out (Genesys acd.end carries no ani): ingest takes it from the call.
            throw ApiException.badRequest(at + "phoneNumber", "missing");
        }
        if (type == EventType.IVRState && currentStep == null) {
            throw ApiException.badRequest(at + "currentStep", "missing (an IVRState event names the IVR step)");
        }
        return new CanonicalEvent(eventId, type, platform, call, e164, timestamp(timestamp, at + "timestamp"),
                optional(queueId, at + "queueId"), optional(intent, at + "intent"), optional(agentId, at + "agentId"),
                optional(currentStep, at + "currentStep"), optional(agentPreference, at + "agentPreference"));
    }

    static String timestamp(JsonNode ts, String field) {
        if (ts == null || ts.isNull() || (ts.isTextual() && ts.asText().isBlank())) {
            throw ApiException.badRequest(field, "missing");
        }
        Instant instant;
        try {
            if (ts.isIntegralNumber()) {
                instant = Instant.ofEpochMilli(ts.asLong());
            } else if (ts.isTextual()) {
                String text = ts.asText().trim();
                Instant utc = UtcTimestamps.parseUtc(text);
                instant = utc != null ? utc : OffsetDateTime.parse(text).toInstant();
            } else {
                throw ApiException.badRequest(field, "not an ISO-8601 timestamp");
            }
        } catch (DateTimeParseException | ArithmeticException e) {
            throw ApiException.badRequest(field, "not an ISO-8601 timestamp with an offset (write e.g. 2026-05-01T10:00:00Z)");
        } catch (DateTimeException e) {
            throw ApiException.badRequest(field, "not an ISO-8601 timestamp");
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ApiException.badRequest(field, "out of range (years 2000 to 2999)");
        }
        return CanonicalEvent.format(instant);
    }

    private static String platform(String value, String at) {
        for (Platform p : Platform.values()) {
            if (p.id().equals(value == null ? null : value.toLowerCase(Locale.ROOT))) {
                return p.id();
            }
        }
        throw ApiException.badRequest(at + "platform", value == null ? "missing" : "unknown platform; one of genesys, nice");
    }

    private static String requiredId(String value, String field) {
        if (value == null) {
            throw ApiException.badRequest(field, "missing");
        }
        if (!isId(value)) {
            throw ApiException.badRequest(field, "must be 1 to 200 letters, digits or ._:@/+=#~-");
        }
        return value;
    }

    /** What {@link #ID} matches, without a Matcher per id (\p{Alnum} is ASCII letters and digits). */
    public static boolean isId(String value) {
        int n = value.length();
        if (n < 1 || n > 200) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ID_PUNCTUATION.indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String optional(String value, String field) {
        if (value != null && value.length() > MAX_TEXT) {
            throw ApiException.badRequest(field, "longer than " + MAX_TEXT + " characters");
        }
        return value;
    }

    private static String field(EventMappings.Format f, JsonNode e, String name, String at) {
        return text(node(f, e, name), at + name);
    }

    private static JsonNode node(EventMappings.Format f, JsonNode e, String name) {
        List<JsonPointer> pointers = f.fields().getOrDefault(name, List.of());
        for (JsonPointer p : pointers) {
            JsonNode n = e.at(p);
            if (present(n)) {
                return n;
            }
        }
        return null;
    }

    private static boolean present(JsonNode n) {
        return n != null && !n.isMissingNode() && !n.isNull();
    }

    /**
     * A field's text: a string, or an integer written as digits (vendors' numeric ids, NICE's contactId). Anything
     * else (an object, an array, a boolean, a fraction, a number too large for a double) is refused, never coerced:
     * {@code -1e999999} would become "-Infinity" and {"a": 1} a missing value. Only blanks at the ends are dropped;
     * a NUL or other control character stays, so that the id check refuses it.
     */
    private static String text(JsonNode n, String field) {
        if (!present(n)) {
            return null;
        }
        String s;
        if (n.isTextual()) {
            s = n.textValue();
        } else if (n.isIntegralNumber()) {
            s = n.bigIntegerValue().toString();
        } else {
            throw ApiException.badRequest(field, "must be a string, not " + kind(n));
        }
        s = stripBlanks(s);
        return s.isEmpty() ? null : s;
    }

    /** A JSON pointer as the field name in an error: /eventBody/eventType is eventBody.eventType. */
    private static String path(JsonPointer pointer) {
        String p = pointer.toString();
        return (p.startsWith("/") ? p.substring(1) : p).replace('/', '.');
    }

    private static String kind(JsonNode n) {
        return n.isObject() ? "an object" : n.isArray() ? "an array" : n.isBoolean() ? "a boolean" : "a number";
    }

    private static String stripBlanks(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isBlank(s.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    static String derivedId(String platform, String callId, EventType type, String timestamp, String step) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = sha.digest(String.join("\u0000", platform, String.valueOf(callId), type.name(),
                    String.valueOf(timestamp), String.valueOf(step)).getBytes(StandardCharsets.UTF_8));
            return platform + "-" + HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
