package io.cloudconnector.scalez.repo.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.EmulatorClients;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.TestRepositories;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The lock contract for {@link DynamoDbLocks} against the emulator's DynamoDB, on a vault-style table ({@code pk}/{@code sk}). */
@WithAwsEmulator
class DynamoDbLocksIT extends RepositoryLocksContractTests {

    private static final AtomicInteger TABLES = new AtomicInteger();

    private static DynamoDbClient dynamo;

    private String table;

    @BeforeAll
    static void connect(AwsEmulator emulator) {
        dynamo = EmulatorClients.dynamo(emulator);
    }

    @AfterAll
    static void disconnect() {
        dynamo.close();
    }

    @BeforeEach
    void createTable() {
        table = "vault-locks-" + TABLES.incrementAndGet();
        dynamo.createTable(b -> b.tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(
                        k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE)));
    }

    private List<Map<String, AttributeValue>> lockItems() {
        return dynamo.query(b -> b.tableName(table)
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(DynamoDbLocks.PARTITION))))
                .items();
    }

    @Test
    void eachLockIsAnItemOfTheVaultTableWithItsOwnerAndExpiry() {
        var locks = locks();
        try (var a = locks.lockShared("backup");
                var b = locks.lockShared("check")) {
            assertThat(lockItems()).hasSize(2).allSatisfy(item -> {
                assertThat(item.get("sk").s()).startsWith("shared#");
                assertThat(item.get("owner").s()).contains(" pid ");
                assertThat(Long.parseLong(item.get("expiresAtMillis").n()))
                        .isEqualTo(TestRepositories.T0.plus(TTL).toEpochMilli());
                assertThat(Long.parseLong(item.get("expiresAt").n()))
                        .isEqualTo(TestRepositories.T0.plus(TTL).getEpochSecond());
            });
        }
        try (var prune = locks.lockExclusive("prune")) {
            assertThat(lockItems()).extracting(item -> item.get("sk").s()).containsExactly("exclusive");
        }
    }

    @Test
    void aLeaseWhoseItemWasOverwrittenByAnotherOwnerIsLost() {
        var locks = locks();
        try (var prune = locks.lockExclusive("prune")) {
            prune.verifyHeld();
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(
                            "pk",
                            AttributeValue.fromS(DynamoDbLocks.PARTITION),
                            "sk",
                            AttributeValue.fromS("exclusive")))
                    .updateExpression("SET leaseId = :other")
                    .expressionAttributeValues(Map.of(":other", AttributeValue.fromS("someone else"))));
            assertThatThrownBy(prune::verifyHeld)
                    .isInstanceOf(LockedException.class)
                    .hasMessageContaining("Lost");
            prune.close();
            prune.close();
            // Closing a lost lease leaves the other owner's item alone.
            assertThat(lockItems()).hasSize(1);
        }
    }

    @Test
    void aRefreshMovesTheItemsExpiryAndALeaseTakenOverStaysLost() throws Exception {
        var ttl = Duration.ofMillis(1500);
        var locks = locks(Clock.systemUTC(), ttl, Duration.ZERO);
        try (var backup = locks.lockShared("backup")) {
            long first =
                    Long.parseLong(lockItems().getFirst().get("expiresAtMillis").n());
            // A refresh after the first expiry has passed: only the refreshes keep it.
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> Long.parseLong(lockItems()
                                    .getFirst()
                                    .get("expiresAtMillis")
                                    .n())
                            > first + ttl.toMillis());
            backup.verifyHeld();
            assertThat(Long.parseLong(
                            lockItems().getFirst().get("expiresAtMillis").n()))
                    .isGreaterThan(first);
            assertThatThrownBy(() -> locks.lockExclusive("prune")).isInstanceOf(LockedException.class);
            // Taken over by someone else: the next refresh fails its condition and the lease is lost for good.
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of(
                            "pk",
                            AttributeValue.fromS(DynamoDbLocks.PARTITION),
                            "sk",
                            lockItems().getFirst().get("sk")))
                    .updateExpression("SET leaseId = :other")
                    .expressionAttributeValues(Map.of(":other", AttributeValue.fromS("someone else"))));
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThatThrownBy(backup::verifyHeld).isInstanceOf(LockedException.class));
            assertThatThrownBy(backup::verifyHeld).as("lost for good").isInstanceOf(LockedException.class);
        }
    }

    @Test
    void aRepositoryWithDynamoDbLocksWritesNoLockObjectsToItsStore() {
        var repo = Repository.init(
                store,
                TestRepositories.PASSPHRASE,
                TestRepositories.SMALL,
                TestRepositories.options(clock).withLocks(locks()));
        try (var backupElsewhere = locks().lockShared("backup elsewhere")) {
            repo.backupStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), BackupOptions.defaults());
            assertThat(lockItems()).hasSize(1);
            assertThat(store.list("locks/")).isEmpty();
        }
    }

    @Override
    RepositoryLocks locks(Clock c, Duration ttl, Duration wait) {
        return new DynamoDbLocks(dynamo, table, c, ttl, wait);
    }

    @Override
    int lockRecords() {
        return lockItems().size();
    }

    @Override
    void deleteLockRecords() {
        for (var item : lockItems()) {
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", item.get("pk"), "sk", item.get("sk"))));
        }
    }

    @Override
    String where() {
        return table;
    }
}
