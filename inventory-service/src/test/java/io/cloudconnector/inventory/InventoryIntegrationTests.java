package io.cloudconnector.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.SecuredWebTests;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;

/**
 * Base of the inventory's emulator tests: the connector stack in a fresh emulator, the service on a real
 * port, EC2/SQS/EventBridge clients to arrange the account, and on request a queue that captures every
 * {@code AssetChanged} the service publishes (through a rule on the connector bus, as a consumer would).
 */
@WithAwsEmulator
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// A context of each class's own, closed after it: a cached one is restarted by the next class before that class
// has deployed the stack into the reset emulator, and its inbox listener finds no queue.
@org.springframework.test.annotation.DirtiesContext
public abstract class InventoryIntegrationTests extends SecuredWebTests {

    protected static final String AMI = "ami-12c6146b";
    protected static final String ACCOUNT = AwsEmulator.ACCOUNT_ID;
    protected static final String REGION = AwsEmulator.REGION;

    protected static Map<String, String> outputs;
    protected static Ec2Client ec2;
    protected static SqsClient sqs;
    protected static EventBridgeClient events;
    protected static String assetChanges;

    private static final EventCodec CODEC = EventCodec.standard();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    protected int port;

    @BeforeAll
    static void deployConnectorStack(AwsEmulator emulator) {
        outputs = ConnectorStack.deploy(emulator);
        var clients = ConnectorStack.clients(emulator);
        ec2 = clients.sync(Ec2Client.builder());
        sqs = clients.sync(SqsClient.builder());
        events = clients.sync(EventBridgeClient.builder());
    }

    /**
     * Routes every {@code AssetChanged} to a queue of the test's ({@link #assetChanges}). Only for tests that
     * need it: the emulator spends about a second on each event it delivers to a queue.
     */
    protected static void captureAssetChanges() {
        assetChanges = sqs.createQueue(b -> b.queueName("asset-changes-probe")).queueUrl();
        String queueArn = sqs.getQueueAttributes(
                        b -> b.queueUrl(assetChanges).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String bus = outputs.get("EventBusName");
        events.putRule(b -> b.name("asset-changes-probe")
                .eventBusName(bus)
                .eventPattern("{\"source\":[\"cloudconnector.inventory\"],\"detail-type\":[\"AssetChanged\"]}"));
        events.putTargets(b -> b.rule("asset-changes-probe")
                .eventBusName(bus)
                .targets(t -> t.id("probe").arn(queueArn)));
    }

    /** Launches {@code count} instances in one reservation; returns their ids. */
    protected static List<String> runInstances(int count, Map<String, String> tags) {
        var response = ec2.runInstances(b -> {
            b.imageId(AMI).minCount(count).maxCount(count).instanceType(InstanceType.T3_MICRO);
            if (!tags.isEmpty()) {
                b.tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE).tags(tags(tags)));
            }
        });
        return response.instances().stream().map(i -> i.instanceId()).toList();
    }

    protected static String createVolume(int sizeGiB, Map<String, String> tags) {
        return ec2.createVolume(b -> {
                    b.availabilityZone(REGION + "a").size(sizeGiB);
                    if (!tags.isEmpty()) {
                        b.tagSpecifications(
                                t -> t.resourceType(ResourceType.VOLUME).tags(tags(tags)));
                    }
                })
                .volumeId();
    }

    protected static String instanceAssetId(String instanceId) {
        return "aws:ec2:" + ACCOUNT + ":" + REGION + ":" + instanceId;
    }

    protected static String volumeAssetId(String volumeId) {
        return "aws:ebs:" + ACCOUNT + ":" + REGION + ":" + volumeId;
    }

    /** Every envelope waiting in a queue (the probe, or another service's inbox), removing them. */
    protected static List<EventEnvelope> drain(String queueUrl) {
        List<EventEnvelope> received = new ArrayList<>();
        while (true) {
            var messages = sqs.receiveMessage(
                            b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(0))
                    .messages();
            if (messages.isEmpty()) {
                return received;
            }
            for (var message : messages) {
                received.add(CODEC.decode(message.body()));
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }

    protected HttpResponse<String> get(String path, String... scopes) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET().header("Authorization", bearerWith(scopes)));
    }

    protected HttpResponse<String> post(
            String path, @Nullable String idempotencyKey, @Nullable String json, String... scopes)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(uri(path))
                .header("Authorization", bearerWith(scopes))
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return send(request);
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return EventCodec.standardMapper().readTree(response.body());
    }

    /** {@code GET path} that must answer 200, as JSON. */
    protected JsonNode getOk(String path, String... scopes) throws IOException, InterruptedException {
        var response = get(path, scopes);
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(200);
        return json(response);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
