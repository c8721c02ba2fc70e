package io.cloudconnector.provisioner.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.StackDeployer;
import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobRequeueRequested;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.EmulatedAccount;
import io.cloudconnector.common.testing.SecuredWebTests;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.provisioner.config.ProvisionerProperties;
import io.cloudconnector.provisioner.job.JobDemand;
import io.cloudconnector.provisioner.vault.VaultRepository;
import io.cloudconnector.provisioner.vault.VaultStacks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;

/**
 * Base of the provisioner's emulator tests: the connector stack and real vault stacks
 * ({@code infra/cloudformation/vault.yaml}) in a fresh emulator, the service on a real port with its periodic
 * pass off, and "replicas": {@link Provisioner}s built from the context's parts with a clock and a name of the
 * test's, driven one pass at a time (the emulator does not serialise concurrent conditional writes, so races
 * between replicas are tested as interleavings of sequential passes).
 */
@WithAwsEmulator
abstract class ProvisionerIntegrationTests extends SecuredWebTests {

    protected static Map<String, String> connector;
    protected static AwsClientFactory clients;
    protected static EmulatedAccount account;

    @LocalServerPort
    protected int port;

    @Autowired
    protected InboxDispatcher inbox;

    @Autowired
    protected VaultRepository vaults;

    @Autowired
    protected VaultStacks stacks;

    @Autowired
    protected JobDemand demand;

    @Autowired
    protected ScalezServerRepository servers;

    @Autowired
    protected ServerLauncher launcher;

    @Autowired
    protected VaultLeases leases;

    @Autowired
    protected ServerRegistrations registrations;

    @Autowired
    protected EventPublisher publisher;

    @Autowired
    protected ProvisionerProperties properties;

    @Autowired
    protected DynamoDbClient dynamo;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A deployed vault stack. */
    protected record TestVault(String id, Map<String, String> outputs) {

        String table() {
            return outputs.get("TableName");
        }

        String cluster() {
            return outputs.get("ScalezClusterName");
        }
    }

    @BeforeAll
    static void deployConnector(AwsEmulator emulator) {
        connector = ConnectorStack.deploy(emulator);
        clients = ConnectorStack.clients(emulator);
        account = EmulatedAccount.create(emulator, AwsEmulator.REGION);
    }

    /** Deploys a vault stack as the catalog would, and tells the provisioner of it ({@code VaultCreated}). */
    protected TestVault vault() {
        return vault(Map.of());
    }

    /** A vault whose stack has {@code extra} parameters besides the catalog's usual ones. */
    protected TestVault vault(Map<String, String> extra) {
        var vaultId = Ids.vault();
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("ConnectorId", TestTokens.CONNECTOR_ID);
        parameters.put("VaultId", vaultId);
        parameters.put("VpcId", account.vpcId());
        parameters.put("SubnetIds", String.join(",", account.privateSubnets()));
        parameters.put("WorkerImageUri", "cloud-connector/background-jobs-service:test");
        parameters.put("ScannerImageUri", "cloud-connector/integrity-service:test");
        parameters.putAll(extra);
        Map<String, String> outputs;
        try (var cloudFormation = clients.sync(CloudFormationClient.builder())) {
            outputs = new StackDeployer(cloudFormation, Clock.systemUTC(), Duration.ofMillis(200))
                    .deploy(
                            TestTokens.CONNECTOR_ID + "-" + vaultId,
                            ConnectorStack.template().resolveSibling("vault.yaml"),
                            parameters,
                            Duration.ofMinutes(3));
        }
        dispatch(
                new VaultCreated(
                        vaultId,
                        "vault " + vaultId,
                        AwsEmulator.REGION,
                        outputs.get("BucketName"),
                        outputs.get("KeyArn")),
                null);
        return new TestVault(vaultId, outputs);
    }

    /** Hands one event to the inbox's dispatcher, as the SQS listener does with a message. */
    protected void dispatch(ConnectorEvent event, @Nullable String correlationId) {
        inbox.dispatch(EventEnvelope.wrap(event, TestTokens.CONNECTOR_ID, correlationId, Clock.systemUTC()));
    }

    /** A provisioner replica named {@code owner} on {@code clock}, sharing everything else with the service. */
    protected Provisioner replica(String owner, Clock clock) {
        return new Provisioner(
                vaults, stacks, demand, servers, launcher, leases, registrations, publisher, properties, clock, owner);
    }

    /** The lease item in the vault's table, if any. */
    protected Optional<Map<String, AttributeValue>> lease(TestVault vault) {
        var item = dynamo.getItem(b -> b.tableName(vault.table())
                        .consistentRead(true)
                        .key(Map.of(
                                "pk",
                                AttributeValue.fromS(VaultLeases.PK),
                                "sk",
                                AttributeValue.fromS(VaultLeases.SK))))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** The server registration workers read, if any. */
    protected Optional<Map<String, AttributeValue>> registration(TestVault vault, String serverId) {
        var item = dynamo.getItem(b -> b.tableName(vault.table())
                        .consistentRead(true)
                        .key(Map.of(
                                "pk",
                                AttributeValue.fromS(ServerRegistrations.PK),
                                "sk",
                                AttributeValue.fromS(serverId))))
                .item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** What {@code scalez serve --server-id} does once it listens: publishes its certificate's SHA-256. */
    protected void publishCertificate(TestVault vault, String serverId, String sha256) {
        dynamo.putItem(b -> b.tableName(vault.table())
                .item(Map.of(
                        "pk", AttributeValue.fromS(ServerRegistrations.CERTIFICATE_PK),
                        "sk", AttributeValue.fromS(serverId),
                        "certificateSha256", AttributeValue.fromS(sha256))));
    }

    /** The certificate fingerprint a server published, if it is still there. */
    protected Optional<String> publishedCertificate(TestVault vault, String serverId) {
        return registrations.publishedCertificate(vault.table(), serverId);
    }

    protected static EcsClient ecs() {
        return clients.sync(EcsClient.builder());
    }

    protected HttpResponse<String> call(String method, String path, String... scopes)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (scopes.length > 0) {
            request.header("Authorization", bearerWith(scopes));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static JsonNode json(HttpResponse<String> response) {
        return EventCodec.standardMapper().readTree(response.body());
    }

    protected static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    /** A queue of the test's that receives every event of {@code type} the provisioner publishes. */
    protected static String probe(String type) {
        try (var sqs = clients.sync(SqsClient.builder());
                var events = clients.sync(EventBridgeClient.builder())) {
            var name = "probe-" + type.toLowerCase(java.util.Locale.ROOT) + "-"
                    + Ids.ulid().toLowerCase(java.util.Locale.ROOT);
            var url = sqs.createQueue(b -> b.queueName(name)).queueUrl();
            var arn = sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            var bus = connector.get("EventBusName");
            events.putRule(b -> b.name(name)
                    .eventBusName(bus)
                    .eventPattern("{\"source\":[\"cloudconnector.provisioner\"],\"detail-type\":[\"" + type + "\"]}"));
            events.putTargets(b ->
                    b.rule(name).eventBusName(bus).targets(t -> t.id("probe").arn(arn)));
            return url;
        }
    }

    protected static List<JobRequeueRequested> drain(String queueUrl) {
        try (var sqs = clients.sync(SqsClient.builder())) {
            List<JobRequeueRequested> received = new ArrayList<>();
            var codec = EventCodec.standard();
            for (var message : sqs.receiveMessage(
                            b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages()) {
                EventEnvelope envelope = codec.decode(message.body());
                received.add((JobRequeueRequested) envelope.payload());
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
            return received;
        }
    }
}
