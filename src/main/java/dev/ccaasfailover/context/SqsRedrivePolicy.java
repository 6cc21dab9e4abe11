package dev.ccaasfailover.context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ccaasfailover.config.InvalidConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.util.Map;

/**
 * The events queue's own RedrivePolicy moves a poison message to the dead-letter queue once it has been received
 * {@code maxReceiveCount} times; the consumer never moves messages itself (a hand-made move raced the policy and
 * could duplicate or drop a message). Checked at start-up: no policy is a configuration error (a poison message
 * would come back for ever), a policy other than {@code dlq-url}/{@code max-receives} is a warning (the queue's
 * policy is what SQS applies), an SQS that cannot be asked is a warning (start-up does not depend on it).
 */
public final class SqsRedrivePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(SqsRedrivePolicy.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private SqsRedrivePolicy() {
    }

    /** @return the policy's maxReceiveCount, or -1 when SQS could not be asked */
    public static int check(SqsClient sqs, String queueUrl, String dlqUrl, int expectedMaxReceives) {
        Map<QueueAttributeName, String> queue;
        String dlqArn;
        try {
            queue = sqs.getQueueAttributes(r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.REDRIVE_POLICY)).attributes();
            dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes().get(QueueAttributeName.QUEUE_ARN);
        } catch (SdkException e) {
            LOG.warn("Events: could not read the RedrivePolicy of SQS queue {} ({}); poison messages reach the dead-letter"
                    + " queue only if the queue has one (maxReceiveCount {}, deadLetterTargetArn of {})", queueUrl,
                    e.getMessage(), expectedMaxReceives, dlqUrl);
            return -1;
        }
        String policy = queue.get(QueueAttributeName.REDRIVE_POLICY);
        String fix = "give the queue a RedrivePolicy {\"deadLetterTargetArn\":\"" + (dlqArn == null ? "<ARN of " + dlqUrl + ">" : dlqArn)
                + "\",\"maxReceiveCount\":" + expectedMaxReceives + "} (aws sqs set-queue-attributes)";
        if (policy == null || policy.isBlank()) {
            throw new InvalidConfigurationException("failover.events.sqs.queue-url", "queue " + queueUrl
                    + " has no RedrivePolicy, so a message that can never be stored would come back for ever; " + fix);
        }
        JsonNode p;
        try {
            p = JSON.readTree(policy);
        } catch (IOException e) {
            throw new InvalidConfigurationException("failover.events.sqs.queue-url", "queue " + queueUrl
                    + " has an unreadable RedrivePolicy (" + e.getMessage() + "); " + fix);
        }
        int maxReceiveCount = p.path("maxReceiveCount").asInt(-1); // SQS answers it as a number or a string
        String target = p.path("deadLetterTargetArn").asText("");
        if (dlqArn != null && !dlqArn.equals(target)) {
            LOG.warn("Events: SQS queue {} sends dead letters to {}, not to failover.events.sqs.dlq-url {} ({}); the queue's"
                    + " policy applies", queueUrl, target, dlqUrl, dlqArn);
        }
        if (maxReceiveCount != expectedMaxReceives) {
            LOG.warn("Events: SQS queue {} has maxReceiveCount {}, failover.events.sqs.max-receives says {}; the queue's"
                    + " policy applies", queueUrl, maxReceiveCount, expectedMaxReceives);
        }
        LOG.info("Events: SQS queue {} moves a message to {} after {} receives (its RedrivePolicy)", queueUrl, target, maxReceiveCount);
        return maxReceiveCount;
    }
}
