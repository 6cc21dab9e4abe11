package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ccaasfailover.http.ApiException;
import dev.ccaasfailover.observe.LogValues;
import dev.ccaasfailover.store.StoreUnavailableException;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * One SQS message of the events queue (SNS → SQS, or events sent to the queue directly). Returning normally lets
 * the consumer delete the message, which happens only after the durable write. A message whose content is refused
 * (bad JSON, a bad event) is not deleted: it comes back after the visibility timeout, and the queue's own
 * RedrivePolicy moves it to the dead-letter queue once received {@code maxReceiveCount} times ({@link SqsRedrivePolicy}).
 * A store outage is never the message's fault either: the message stays on the queue until the store is back.
 */
public class SqsEventConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(SqsEventConsumer.class);

    private final EventIngest ingest;
    private final int maxReceives;

    /** @param maxReceives the queue's maxReceiveCount, for the log line only (-1: unknown) */
    public SqsEventConsumer(EventIngest ingest, int maxReceives) {
        this.ingest = ingest;
        this.maxReceives = maxReceives;
    }

    /**
     * @param attributes the consumer's CamelAwsSqsAttributes header (ApproximateReceiveCount)
     * @return a one-line summary for the route's log
     */
    public String consume(@Body String body, @Header("CamelAwsSqsMessageId") String messageId,
                          @Header("CamelAwsSqsAttributes") Map<?, ?> attributes) {
        int receives = receiveCount(attributes);
        try {
            JsonNode root = EventIngest.parse(body);
            JsonNode events = root;
            if (root.isObject() && "Notification".equals(root.path("Type").asText()) && root.has("Message")) {
                // SNS → SQS without raw delivery: the queue's access policy is the credential, the envelope is unwrapped.
                events = EventIngest.parse(root.path("Message").asText());
                SnsEndpoint.withMessageIdAsEventId(events, root.path("MessageId").asText(messageId));
            } else {
                SnsEndpoint.withMessageIdAsEventId(events, messageId);
            }
            EventIngest.Outcome o = ingest.ingest(events);
            return "SQS message " + messageId + ": " + o.stored() + " stored, " + o.duplicates() + " duplicate, "
                    + o.ignored() + " ignored";
        } catch (StoreUnavailableException e) {
            throw e; // not deleted: visible again after the visibility timeout
        } catch (ApiException | IllegalArgumentException e) {
            // not deleted; at maxReceiveCount receives the queue's RedrivePolicy moves it to the dead-letter queue
            LOG.warn("SQS message {} refused (receive {} of {}): {}", LogValues.clip(messageId), receives,
                    maxReceives < 0 ? "the queue's maxReceiveCount" : maxReceives, LogValues.clip(e.getMessage()));
            throw e;
        }
    }

    static int receiveCount(Map<?, ?> attributes) {
        if (attributes != null) {
            for (Map.Entry<?, ?> e : attributes.entrySet()) {
                if ("ApproximateReceiveCount".equals(String.valueOf(e.getKey()))) {
                    try {
                        return Integer.parseInt(String.valueOf(e.getValue()));
                    } catch (NumberFormatException ignored) {
                        return 1;
                    }
                }
            }
        }
        return 1;
    }
}
