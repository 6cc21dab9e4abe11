package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.http.Json;
import dev.ccaasfailover.observe.LogValues;
import dev.ccaasfailover.store.Store;
import dev.ccaasfailover.store.StoreItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * POST /events/sns, the SNS HTTP(S) subscription endpoint. The signature is the credential: a message is trusted
 * only from an allowed topic and with a verified signature (else 403, nothing stored). A SubscriptionConfirmation
 * is confirmed by visiting its SubscribeURL; a Notification's Message holds events (one or an array), stored like
 * POST /events, with the SNS MessageId as the idempotency key of the delivery; an UnsubscribeConfirmation is logged.
 */
public class SnsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(SnsEndpoint.class);
    static final String DELIVERY_PREFIX = "sns:";

    private final Set<String> allowedTopics;
    private final SnsMessageVerifier verifier;
    private final SnsCertificates certificates;
    private final EventIngest ingest;
    private final Store store;
    private final Clock clock;
    private final Duration retention;

    public SnsEndpoint(List<String> allowedTopics, SnsMessageVerifier verifier, SnsCertificates certificates,
                       EventIngest ingest, Store store, Clock clock, int retentionDays) {
        this.allowedTopics = Set.copyOf(allowedTopics);
        this.verifier = verifier;
        this.certificates = certificates;
        this.ingest = ingest;
        this.store = store;
        this.clock = clock;
        this.retention = Duration.ofDays(retentionDays);
    }

    public Map<String, Object> handle(String body) {
        JsonNode message = EventIngest.parse(body); // SNS sends text/plain; the body is JSON whatever it says
        if (!message.isObject()) {
            throw ApiException.badRequest("body", "not an SNS message");
        }
        String type = message.path("Type").asText("");
        String topic = message.path("TopicArn").asText("");
        if (!allowedTopics.contains(topic)) {
            LOG.warn("SNS {} from topic {} refused: not on failover.events.sns.allowed-topic-arns", LogValues.clip(type), LogValues.clip(topic));
            throw new ApiException(403, "TopicArn: not an allowed topic", "TopicArn");
        }
        try {
            verifier.verify(message);
        } catch (GeneralSecurityException e) {
            LOG.warn("SNS {} {} from {} refused: bad signature ({})", LogValues.clip(type), LogValues.clip(message.path("MessageId").asText()),
                    LogValues.clip(topic), LogValues.clip(e.getMessage()));
            throw new ApiException(403, "Signature: the SNS signature does not verify", "Signature");
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("type", type);
        switch (type) {
            case "SubscriptionConfirmation" -> {
                try {
                    certificates.confirm(message.path("SubscribeURL").asText(), topic);
                } catch (GeneralSecurityException e) {
                    throw new ApiException(403, "SubscribeURL: not on the SNS host of the topic's region", "SubscribeURL");
                }
                LOG.info("SNS subscription to {} confirmed", LogValues.clip(topic));
                response.put("confirmed", true);
            }
            case "UnsubscribeConfirmation" -> {
                LOG.warn("SNS: unsubscribed from {} (re-subscribe to keep receiving events)", LogValues.clip(topic));
                response.put("logged", true);
            }
            case "Notification" -> response.putAll(notification(message));
            default -> throw ApiException.badRequest("Type", "unknown SNS message type");
        }
        return response;
    }

    private Map<String, Object> notification(JsonNode message) {
        String messageId = message.path("MessageId").asText();
        String deliveryKey = DELIVERY_PREFIX + messageId;
        if (store.get(ContextTables.DEDUPE, deliveryKey, ContextTables.DEDUPE_SK).isPresent()) {
            return Map.of("messageId", messageId, "duplicate", true);
        }
        JsonNode events;
        try {
            events = Json.MAPPER.readTree(message.path("Message").asText());
        } catch (Exception e) {
            throw ApiException.badRequest("Message", "not JSON events");
        }
        withMessageIdAsEventId(events, messageId);
        EventIngest.Outcome outcome = ingest.ingest(events);
        store.putIfAbsent(StoreItem.of(ContextTables.DEDUPE, deliveryKey, ContextTables.DEDUPE_SK, "{}",
                clock.instant().plus(retention)));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", messageId);
        r.put("duplicate", false);
        r.putAll(outcome.response());
        return r;
    }

    /** A canonical event without an eventId takes the MessageId (with its index in an array). */
    static void withMessageIdAsEventId(JsonNode events, String messageId) {
        if (events instanceof ObjectNode o) {
            if (o.has("type") && o.has("platform") && !o.hasNonNull("eventId")) {
                o.put("eventId", messageId);
            }
        } else if (events instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i) instanceof ObjectNode o && o.has("type") && o.has("platform") && !o.hasNonNull("eventId")) {
                    o.put("eventId", messageId + "-" + i);
                }
            }
        }
    }
}
