package dev.ccaasfailover.context;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.ccaasfailover.config.Platform;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The canonical event of docs/architecture.md, validated: phoneNumber is E.164, timestamp is UTC with fixed millisecond
 * precision (so its text sorts like its instant, which the store's sort keys rely on). agentPreference is an
 * addition: an event may name the agent the caller should get, which wins over the last agent seen.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"eventId", "type", "platform", "callId", "phoneNumber", "timestamp", "queueId", "intent", "agentId",
        "currentStep", "agentPreference"})
public record CanonicalEvent(String eventId, EventType type, String platform, String callId, String phoneNumber,
                             String timestamp, String queueId, String intent, String agentId, String currentStep,
                             String agentPreference) {

    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public static String format(Instant instant) {
        String fast = UtcTimestamps.formatMillis(instant);
        return fast != null ? fast : TIMESTAMP.format(instant);
    }

    public Instant instant() {
        Instant fast = UtcTimestamps.parseUtc(timestamp);
        return fast != null ? fast : Instant.parse(timestamp);
    }

    public CanonicalEvent withPhoneNumber(String e164) {
        return new CanonicalEvent(eventId, type, platform, callId, e164, timestamp, queueId, intent, agentId, currentStep,
                agentPreference);
    }

    /** Sort key within a caller's or a call's partition: time first, the event id breaks ties. */
    public String sortKey() {
        return timestamp + "#" + eventId;
    }
}
