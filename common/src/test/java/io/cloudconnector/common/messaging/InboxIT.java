package io.cloudconnector.common.messaging;

import static io.cloudconnector.common.testing.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.CommonTestApplication;
import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.ForgedEventException;
import io.cloudconnector.common.event.JobCancelled;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.json.JsonMapper;

/**
 * A service built from common alone, against the real connector stack in the emulator: events travel
 * bus → rule → inbox → listener, duplicates are handled once, failures are retried, health is public.
 */
@WithAwsEmulator
@SpringBootTest(
        classes = {CommonTestApplication.class, InboxIT.CountingHandlers.class, InboxIT.SqsClientHolder.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"connector.service=catalog", "spring.cloud.aws.sqs.listener.poll-timeout=1s"})
class InboxIT {

    private static final TestTokens TOKENS = TestTokens.es256();

    @DynamicPropertySource
    static void connector(DynamicPropertyRegistry registry) {
        registry.add("connector.id", () -> TestTokens.CONNECTOR_ID);
        registry.add("connector.account", () -> TestTokens.ACCOUNT);
        registry.add("connector.security.public-key", TOKENS::publicKeyPem);
    }

    @BeforeAll
    static void deployConnectorStack(AwsEmulator emulator) {
        assertThat(ConnectorStack.deploy(emulator)).containsEntry("CatalogTableName", "cc-test-catalog");
    }

    @TestConfiguration
    static class CountingHandlers {

        final AtomicInteger cancelled = new AtomicInteger();
        final AtomicInteger awsEvents = new AtomicInteger();

        @Bean
        AwsEventHandler countEc2StateChanges() {
            return new AwsEventHandler() {
                @Override
                public boolean accepts(String source, String detailType) {
                    return source.equals("aws.ec2") && detailType.equals("EC2 Instance State-change Notification");
                }

                @Override
                public void handle(tools.jackson.databind.JsonNode event) {
                    awsEvents.incrementAndGet();
                }
            };
        }

        final List<String> failuresLeft = new CopyOnWriteArrayList<>();

        @Bean
        EventHandler<JobCancelled> countCancelled() {
            return EventHandler.of(JobCancelled.class, (envelope, event) -> {
                if (failuresLeft.remove(event.jobId())) {
                    throw new IllegalStateException("simulated failure for " + event.jobId());
                }
                cancelled.incrementAndGet();
            });
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    CountingHandlers counting;

    @Autowired
    InboxDispatcher dispatcher;

    @Autowired
    EventCodec codec;

    @Autowired
    MeterRegistry meters;

    @Autowired
    SqsClientHolder sqs;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aPingTravelsThroughTheBusToTheInboxAndIsRecorded() throws Exception {
        var ping = http.send(
                request("/v1/diagnostics/catalog/pings")
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .header("Authorization", bearer(TOKENS.token(Scopes.DIAGNOSTICS)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ping.statusCode()).isEqualTo(202);
        var pingId = JsonMapper.shared().readTree(ping.body()).get("pingId").asString();
        assertThat(ping.headers().firstValue("Location")).contains("/v1/diagnostics/catalog/pings/" + pingId);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var receipt = http.send(
                    request("/v1/diagnostics/catalog/pings/" + pingId)
                            .header("Authorization", bearer(TOKENS.token(Scopes.DIAGNOSTICS)))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(receipt.statusCode()).isEqualTo(200);
            assertThat(receipt.body()).contains("\"fromService\":\"catalog\"", "\"receivedBy\":\"catalog\"");
        });
    }

    @Test
    void aDuplicatedMessageIsHandledOnce() {
        int before = counting.cancelled.get();
        var body = fromBus(
                "cloudconnector.background-jobs",
                EventEnvelope.wrap(new JobCancelled("j-dup"), TestTokens.CONNECTOR_ID, "j-dup", Clock.systemUTC()));

        // One after the other: the emulator does not serialise concurrent conditional writes as DynamoDB does.
        sqs.send(body);
        await().atMost(Duration.ofSeconds(60)).until(sqs::inboxIsEmpty);
        sqs.send(body);
        await().atMost(Duration.ofSeconds(60)).until(sqs::inboxIsEmpty);

        assertThat(counting.cancelled.get() - before).isEqualTo(1);
    }

    @Test
    void aFailedHandlerLeavesTheEventToBeHandledAgain() {
        int before = counting.cancelled.get();
        var envelope =
                EventEnvelope.wrap(new JobCancelled("j-flaky"), TestTokens.CONNECTOR_ID, null, Clock.systemUTC());
        counting.failuresLeft.add("j-flaky");

        assertThatThrownBy(() -> dispatcher.dispatch(envelope)).hasMessageContaining("simulated failure");
        dispatcher.dispatch(envelope);
        dispatcher.dispatch(envelope);

        assertThat(counting.cancelled.get() - before).isEqualTo(1);
    }

    @Test
    void anEventFromAwsItselfReachesItsHandlerOnce() {
        int before = counting.awsEvents.get();
        var ec2 = """
                {"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602",
                 "detail-type":"EC2 Instance State-change Notification","source":"aws.ec2",
                 "account":"123456789012","time":"2026-11-26T10:15:30Z","region":"us-east-1","resources":[],
                 "detail":{"instance-id":"i-1234567890abcdef0","state":"stopped"}}""";

        sqs.send(ec2);
        await().atMost(Duration.ofSeconds(60)).until(sqs::inboxIsEmpty);
        sqs.send(ec2);
        await().atMost(Duration.ofSeconds(60)).until(sqs::inboxIsEmpty);

        assertThat(counting.awsEvents.get() - before).isEqualTo(1);
    }

    @Test
    void aForgedEventIsDroppedAndCountedNotHandled() {
        int before = counting.cancelled.get();
        // jobstatus asks for cancellations; only the job's runner says it is cancelled.
        var forged = fromBus(
                "cloudconnector.jobstatus",
                EventEnvelope.wrap(new JobCancelled("j-forged"), TestTokens.CONNECTOR_ID, null, Clock.systemUTC()));
        var bare = codec.encode(
                EventEnvelope.wrap(new JobCancelled("j-bare"), TestTokens.CONNECTOR_ID, null, Clock.systemUTC()));

        sqs.send(forged);
        sqs.send(bare);
        await().atMost(Duration.ofSeconds(60)).until(sqs::inboxIsEmpty);

        assertThat(counting.cancelled.get() - before).isZero();
        assertThat(dispatcher.forgeriesDropped("cloudconnector.jobstatus", "JobCancelled"))
                .isEqualTo(1);
        assertThat(dispatcher.forgeriesDropped(ForgedEventException.NO_SOURCE, "JobCancelled"))
                .isEqualTo(1);
        assertThat(meters.find(InboxDispatcher.FORGED_EVENTS)
                        .tags("source", "cloudconnector.jobstatus", "type", "JobCancelled")
                        .counter())
                .as("the counter is in the service's meter registry")
                .isNotNull();
    }

    private String fromBus(String source, EventEnvelope envelope) {
        return io.cloudconnector.common.testing.BusEvents.fromBus(codec, source, envelope);
    }

    @Test
    void aMessageThatIsNotAnEventIsDroppedNotRetriedForever() {
        sqs.send("this is not an event");

        await().atMost(Duration.ofSeconds(60)).until(sqs::inboxIsEmpty);
    }

    @Test
    void healthNeedsNoTokenAndReadinessIncludesTheTable() throws Exception {
        var readiness =
                http.send(request("/actuator/health/readiness").GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void openApiNeedsAToken() throws Exception {
        var anonymous = http.send(request("/v3/api-docs").GET().build(), HttpResponse.BodyHandlers.ofString());
        var withToken = http.send(
                request("/v3/api-docs")
                        .header("Authorization", bearer(TOKENS.token()))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(withToken.statusCode()).isEqualTo(200);
        assertThat(withToken.body()).contains("/v1/diagnostics/catalog/pings");
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
    }

    /** Direct access to the inbox, to put messages there without the bus. */
    @TestConfiguration
    static class SqsClientHolder {

        private final SqsClient client;
        private final String queueUrl;

        SqsClientHolder(AwsClientFactory factory) {
            this.client = factory.sync(SqsClient.builder());
            this.queueUrl = client.getQueueUrl(b -> b.queueName("cc-test-catalog-inbox"))
                    .queueUrl();
        }

        void send(String body) {
            client.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        }

        boolean inboxIsEmpty() {
            var attributes = client.getQueueAttributes(b -> b.queueUrl(queueUrl)
                            .attributeNames(
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                    .attributes();
            return attributes.values().stream().allMatch("0"::equals);
        }
    }
}
