package dev.ccaasfailover.context;

import dev.ccaasfailover.config.InvalidConfigurationException;
import dev.ccaasfailover.testsupport.LogCapture;
import dev.ccaasfailover.testsupport.MotoServer;
import dev.ccaasfailover.testsupport.MotoServerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up check of the events queue's RedrivePolicy, on moto_server. */
class SqsRedrivePolicyTest {

    @RegisterExtension
    static final MotoServerExtension MOTO = new MotoServerExtension();
    static SqsClient sqs;
    static String dlqUrl;
    static String dlqArn;

    @BeforeAll
    static void start() {
        sqs = SqsClient.builder().region(Region.of(MotoServer.REGION)).endpointOverride(MOTO.server().endpointUri())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(MotoServer.ACCESS_KEY, MotoServer.SECRET_KEY)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        dlqUrl = sqs.createQueue(r -> r.queueName("events-dlq")).queueUrl();
        dlqArn = sqs.getQueueAttributes(r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    @AfterAll
    static void stop() {
        sqs.close();
    }

    private static String queue(String name, String policy) {
        return sqs.createQueue(r -> r.queueName(name).attributes(policy == null ? Map.of()
                : Map.of(QueueAttributeName.REDRIVE_POLICY, policy))).queueUrl();
    }

    @Test
    void aQueueWithoutRedrivePolicyStopsStartUpNamingTheKeyAndTheFix() {
        String url = queue("events-no-policy", null);
        assertThatThrownBy(() -> SqsRedrivePolicy.check(sqs, url, dlqUrl, 5))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageStartingWith("failover.events.sqs.queue-url: queue " + url + " has no RedrivePolicy")
                .hasMessageContaining("\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":5");
    }

    @Test
    void theQueuesPolicyIsReadAndAnotherMaxReceiveCountIsAWarning() {
        String url = queue("events-policy", "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"3\"}");
        assertThat(SqsRedrivePolicy.check(sqs, url, dlqUrl, 3)).isEqualTo(3);
        try (LogCapture log = new LogCapture()) {
            assertThat(SqsRedrivePolicy.check(sqs, url, dlqUrl, 5)).isEqualTo(3);
            assertThat(log.messages()).anyMatch(m -> m.contains("maxReceiveCount 3") && m.contains("the queue's policy applies"));
        }
    }
}
