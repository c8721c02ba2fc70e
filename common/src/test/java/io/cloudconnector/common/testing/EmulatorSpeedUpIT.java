package io.cloudconnector.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The emulator runs with {@code scripts/emulator/sitecustomize.py}, which changes how moto rolls a DynamoDB
 * transaction back (only the items it names are kept, not a copy of the table): a cancelled transaction must still
 * leave every item as it was, as DynamoDB does.
 */
@WithAwsEmulator
class EmulatorSpeedUpIT {

    @Test
    void theEmulatorRunsWithTheRepositorysCustomization() {
        assertThat(MotoServer.emulatorCustomization()).isPresent();
    }

    @Test
    void aCancelledTransactionChangesNothing(AwsEmulator emulator) {
        try (DynamoDbClient dynamo = EmulatorClients.dynamo(emulator)) {
            dynamo.createTable(b -> b.tableName("speed-up-probe")
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("pk")
                            .keyType(KeyType.HASH)
                            .build())
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("pk")
                            .attributeType(ScalarAttributeType.S)
                            .build()));
            dynamo.putItem(b -> b.tableName("speed-up-probe").item(item("A", "1")));
            dynamo.putItem(b -> b.tableName("speed-up-probe").item(item("C", "1")));

            assertThatThrownBy(() -> dynamo.transactWriteItems(b -> b.transactItems(
                            TransactWriteItem.builder()
                                    .put(p -> p.tableName("speed-up-probe").item(item("B", "1")))
                                    .build(),
                            TransactWriteItem.builder()
                                    .update(u -> u.tableName("speed-up-probe")
                                            .key(Map.of("pk", AttributeValue.fromS("C")))
                                            .updateExpression("SET v = :two")
                                            .expressionAttributeValues(Map.of(":two", AttributeValue.fromS("2"))))
                                    .build(),
                            TransactWriteItem.builder()
                                    .conditionCheck(c -> c.tableName("speed-up-probe")
                                            .key(Map.of("pk", AttributeValue.fromS("A")))
                                            .conditionExpression("v = :nine")
                                            .expressionAttributeValues(Map.of(":nine", AttributeValue.fromS("9"))))
                                    .build())))
                    .isInstanceOf(TransactionCanceledException.class);

            assertThat(dynamo.getItem(b -> b.tableName("speed-up-probe").key(Map.of("pk", AttributeValue.fromS("B"))))
                            .hasItem())
                    .as("the put of a cancelled transaction is rolled back")
                    .isFalse();
            assertThat(dynamo.getItem(b -> b.tableName("speed-up-probe").key(Map.of("pk", AttributeValue.fromS("C"))))
                            .item())
                    .as("the update of a cancelled transaction is rolled back")
                    .isEqualTo(item("C", "1"));

            dynamo.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                    .put(p -> p.tableName("speed-up-probe").item(item("B", "1")))
                    .build()));
            assertThat(dynamo.getItem(b -> b.tableName("speed-up-probe").key(Map.of("pk", AttributeValue.fromS("B"))))
                            .hasItem())
                    .as("a transaction that goes through is written")
                    .isTrue();
        }
    }

    private static Map<String, AttributeValue> item(String pk, String v) {
        return Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromS(v));
    }
}
