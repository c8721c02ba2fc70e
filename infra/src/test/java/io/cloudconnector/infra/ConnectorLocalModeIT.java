package io.cloudconnector.infra;

import static io.cloudconnector.common.testing.EmulatorClients.client;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** connector.yaml with only ConnectorId, the way the local stack ({@code ./connector up}) deploys it into the emulator. */
@WithAwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectorLocalModeIT {

    private static final String CONNECTOR_ID = "cc-local";

    private AwsEmulator emulator;
    private Map<String, String> outputs;

    @BeforeAll
    void deployWithOnlyTheConnectorId(AwsEmulator emulator) {
        this.emulator = emulator;
        outputs = new StackDeployer(emulator)
                .createFromBody(CONNECTOR_ID, Template.CONNECTOR, Map.of("ConnectorId", CONNECTOR_ID));
    }

    @Test
    void outputsAreExactlyTheMessagingAndTablesContract() {
        assertThat(outputs)
                .hasSize(3 + 3 * ConnectorService.ALL.size())
                .containsEntry("ConnectorBucketName", CONNECTOR_ID + "-connector")
                .containsEntry("EventBusName", CONNECTOR_ID + "-bus")
                .containsEntry(
                        "EventBusArn",
                        "arn:aws:events:us-east-1:" + AwsEmulator.ACCOUNT_ID + ":event-bus/" + CONNECTOR_ID + "-bus");
        for (var service : ConnectorService.ALL) {
            assertThat(outputs)
                    .containsEntry(service.logicalPrefix() + "TableName", CONNECTOR_ID + "-" + service.name())
                    .hasEntrySatisfying(
                            service.logicalPrefix() + "InboxQueueUrl",
                            url -> assertThat(url).endsWith("/" + CONNECTOR_ID + "-" + service.name() + "-inbox"))
                    .hasEntrySatisfying(
                            service.logicalPrefix() + "InboxDlqUrl",
                            url -> assertThat(url).endsWith("/" + CONNECTOR_ID + "-" + service.name() + "-inbox-dlq"));
        }
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.ConnectorService#ALL")
    void eachServiceGetsItsSingleTableWithTheSharedKeySchema(ConnectorService service) {
        var table = client(emulator, DynamoDbClient.builder())
                .describeTable(request -> request.tableName(outputs.get(service.logicalPrefix() + "TableName")))
                .table();

        assertThat(table.keySchema())
                .containsExactly(
                        KeySchemaElement.builder()
                                .attributeName("pk")
                                .keyType(KeyType.HASH)
                                .build(),
                        KeySchemaElement.builder()
                                .attributeName("sk")
                                .keyType(KeyType.RANGE)
                                .build());
        assertThat(table.globalSecondaryIndexes()).singleElement().satisfies(index -> {
            assertThat(index.indexName()).isEqualTo("gsi1");
            assertThat(index.keySchema())
                    .extracting(KeySchemaElement::attributeName)
                    .containsExactly("gsi1pk", "gsi1sk");
        });
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.ConnectorService#ALL")
    void eachInboxRedrivesToItsDlqAfterFiveReceives(ConnectorService service) {
        var sqs = client(emulator, SqsClient.builder());
        var inbox = outputs.get(service.logicalPrefix() + "InboxQueueUrl");
        var dlqArn = sqs.getQueueAttributes(
                        request -> request.queueUrl(outputs.get(service.logicalPrefix() + "InboxDlqUrl"))
                                .attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);

        var attributes = sqs.getQueueAttributes(
                        request -> request.queueUrl(inbox).attributeNames(QueueAttributeName.ALL))
                .attributes();

        assertThat(Json.parse(attributes.get(QueueAttributeName.REDRIVE_POLICY)))
                .isEqualTo(Map.of("deadLetterTargetArn", dlqArn, "maxReceiveCount", 5));
        assertThat(attributes.get(QueueAttributeName.SQS_MANAGED_SSE_ENABLED)).isEqualTo("true");
    }

    @Test
    void aPoisonMessageLandsInTheDlqOnItsSixthReceive() {
        var sqs = client(emulator, SqsClient.builder());
        var inbox = outputs.get("CatalogInboxQueueUrl");
        var dlq = outputs.get("CatalogInboxDlqUrl");
        sqs.sendMessage(request -> request.queueUrl(inbox).messageBody("{\"poison\":true}"));

        for (int receive = 1; receive <= 5; receive++) {
            // A consumer that fails: receives the message and lets it become visible again at once.
            assertThat(sqs.receiveMessage(request ->
                                    request.queueUrl(inbox).visibilityTimeout(0).waitTimeSeconds(1))
                            .messages())
                    .as("receive %d", receive)
                    .hasSize(1);
        }

        assertThat(sqs.receiveMessage(request -> request.queueUrl(inbox).waitTimeSeconds(1))
                        .messages())
                .isEmpty();
        assertThat(new Inboxes(sqs).drain(dlq))
                .singleElement()
                .satisfies(message -> assertThat(message.body()).isEqualTo("{\"poison\":true}"));
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.ConnectorService#ALL")
    void eachServiceHasOneBusRuleTargetingItsInbox(ConnectorService service) {
        var events = client(emulator, EventBridgeClient.builder());
        var sqs = client(emulator, SqsClient.builder());
        var ruleName = CONNECTOR_ID + "-" + service.name() + "-inbox";
        var inboxArn = sqs.getQueueAttributes(
                        request -> request.queueUrl(outputs.get(service.logicalPrefix() + "InboxQueueUrl"))
                                .attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);

        var rule = events.describeRule(request -> request.name(ruleName).eventBusName(outputs.get("EventBusName")));
        var targets = events.listTargetsByRule(
                        request -> request.rule(ruleName).eventBusName(outputs.get("EventBusName")))
                .targets();

        assertThat(rule.stateAsString()).isEqualTo("ENABLED");
        assertThat(targets)
                .singleElement()
                .satisfies(target -> assertThat(target.arn()).isEqualTo(inboxArn));
    }

    @Test
    void nothingThatNeedsAVpcIsCreated() {
        assertThat(client(emulator, EcsClient.builder()).listClusters().clusterArns())
                .isEmpty();
        assertThat(client(emulator, ElasticLoadBalancingV2Client.builder())
                        .describeLoadBalancers()
                        .loadBalancers())
                .isEmpty();
        assertThat(client(emulator, IamClient.builder())
                        .listRoles(request -> request.pathPrefix("/cloudconnector/"))
                        .roles())
                .isEmpty();
    }
}
