package io.cloudconnector.common.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The emulator runs with {@code scripts/emulator/sitecustomize.py}, which changes how moto rolls a DynamoDB
 * transaction back (only the items it names are kept, not a copy of the table): a cancelled transaction must still
 * leave every item as it was, as DynamoDB does. It also reads only the asked range of an S3 object for a ranged
 * GET: the answer must be the same bytes and headers as S3's.
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

    @Test
    void aRangedGetAnswersTheRangeOfTheObjectOrOfTheVersionAsked(AwsEmulator emulator) {
        try (S3Client s3 = EmulatorClients.s3(emulator)) {
            s3.createBucket(b -> b.bucket("speed-up-ranges"));
            s3.putBucketVersioning(b ->
                    b.bucket("speed-up-ranges").versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
            byte[] data = new byte[3 << 20]; // over the emulator's 1 MiB buffer: kept in a temporary file
            new Random(7).nextBytes(data);
            String first = s3.putObject(b -> b.bucket("speed-up-ranges").key("pack"), RequestBody.fromBytes(data))
                    .versionId();
            s3.putObject(b -> b.bucket("speed-up-ranges").key("pack"), RequestBody.fromBytes(new byte[] {1, 2, 3}));

            var range = s3.getObjectAsBytes(b ->
                    b.bucket("speed-up-ranges").key("pack").versionId(first).range("bytes=1048570-2097160"));
            assertThat(range.asByteArray()).isEqualTo(Arrays.copyOfRange(data, 1048570, 2097161));
            assertThat(range.response().contentRange()).isEqualTo("bytes 1048570-2097160/" + data.length);
            var tail = s3.getObjectAsBytes(b -> b.bucket("speed-up-ranges")
                    .key("pack")
                    .versionId(first)
                    .range("bytes=" + (data.length - 5) + "-" + (data.length + 100)));
            assertThat(tail.asByteArray()).isEqualTo(Arrays.copyOfRange(data, data.length - 5, data.length));
            assertThat(s3.getObjectAsBytes(
                                    b -> b.bucket("speed-up-ranges").key("pack").range("bytes=1-5"))
                            .asByteArray())
                    .as("the latest version")
                    .isEqualTo(new byte[] {2, 3});
            assertThatThrownBy(() -> s3.getObjectAsBytes(b -> b.bucket("speed-up-ranges")
                            .key("pack")
                            .versionId(first)
                            .range("bytes=" + data.length + "-" + (data.length + 1))))
                    .isInstanceOf(S3Exception.class)
                    .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(416));
            assertThat(s3.getObjectAsBytes(
                                    b -> b.bucket("speed-up-ranges").key("pack").versionId(first))
                            .asByteArray())
                    .as("a GET without a range")
                    .isEqualTo(data);
        }
    }

    private static Map<String, AttributeValue> item(String pk, String v) {
        return Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromS(v));
    }
}
