package io.cloudconnector.scalez.repo.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.MutableClock;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.InMemoryBlobStore;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.repo.EmulatorClients;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.TestRepositories;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

/** {@link DynamoDbLocks} against the emulator's DynamoDB, on a vault-style table ({@code pk}/{@code sk}). */
@WithAwsEmulator
class DynamoDbLocksIT {

    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final Duration TTL = Duration.ofMinutes(10);

    private static DynamoDbClient dynamo;

    private final MutableClock clock = new MutableClock(TestRepositories.T0);
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
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S),
                        a -> a.attributeName("sk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH),
                        k -> k.attributeName("sk").keyType(KeyType.RANGE)));
    }

    private DynamoDbLocks locks(Clock c, Duration ttl, Duration wait) {
        return new DynamoDbLocks(dynamo, table, c, ttl, wait);
    }

    private DynamoDbLocks locks() {
        return locks(clock, TTL, Duration.ZERO);
    }

    private List<Map<String, AttributeValue>> lockItems() {
        return dynamo.query(b -> b.tableName(table).consistentRead(true).keyConditionExpression("pk = :pk")
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(DynamoDbLocks.PARTITION)))).items();
    }

    @Test
    void sharedLocksCoexistButExcludeTheExclusiveOneAndViceVersa() {
        var locks = locks();
        try (var a = locks.lockShared("backup"); var b = locks.lockShared("check")) {
            assertThat(lockItems()).hasSize(2).allSatisfy(item -> {
                assertThat(item.get("sk").s()).startsWith("shared#");
                assertThat(item.get("owner").s()).contains(" pid ");
                assertThat(Long.parseLong(item.get("expiresAtMillis").n()))
                        .isEqualTo(TestRepositories.T0.plus(TTL).toEpochMilli());
                assertThat(Long.parseLong(item.get("expiresAt").n()))
                        .isEqualTo(TestRepositories.T0.plus(TTL).getEpochSecond());
            });
            a.verifyHeld();
            b.verifyHeld();
            assertThatThrownBy(() -> locks.lockExclusive("prune")).isInstanceOf(LockedException.class)
                    .hasMessageContaining("shared, ").hasMessageContaining(table);
            assertThat(lockItems()).hasSize(2); // the failed exclusive attempt removed its item
        }
        assertThat(lockItems()).isEmpty();
        try (var prune = locks.lockExclusive("prune")) {
            prune.verifyHeld();
            assertThatThrownBy(() -> locks.lockShared("backup")).isInstanceOf(LockedException.class)
                    .hasMessageContaining("exclusive, prune");
            assertThatThrownBy(() -> locks.lockExclusive("prune")).isInstanceOf(LockedException.class)
                    .hasMessageContaining("exclusive, prune");
        }
        assertThat(lockItems()).isEmpty();
        try (var backup = locks.lockShared("backup")) {
            backup.verifyHeld();
        }
    }

    @Test
    void anExclusiveLockWaitsUntilTheSharedOneIsReleasedAndViceVersa() throws Exception {
        var waiting = locks(Clock.systemUTC(), TTL, Duration.ofSeconds(20));
        var shared = locks(Clock.systemUTC(), TTL, Duration.ZERO).lockShared("backup");
        var release = CompletableFuture.runAsync(shared::close, CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS));
        long start = System.nanoTime();
        try (var prune = waiting.lockExclusive("prune")) {
            assertThat(release).isDone();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(600));
            var release2 = CompletableFuture.runAsync(prune::close,
                    CompletableFuture.delayedExecutor(700, TimeUnit.MILLISECONDS));
            try (var backup = waiting.lockShared("backup")) {
                assertThat(release2).isDone();
                backup.verifyHeld();
            }
        }
        assertThat(lockItems()).isEmpty();
    }

    @Test
    void theLockOfADeadProcessExpiresAndIsTakenOver() {
        var locks = locks();
        var deadPrune = locks.lockExclusive("prune");
        // Its owner never refreshes nor closes it (kill -9); after the TTL it no longer counts.
        clock.advance(TTL.plusMinutes(1));
        try (var backup = locks.lockShared("backup")) {
            backup.verifyHeld();
        }
        try (var prune = locks.lockExclusive("prune")) {
            prune.verifyHeld();
        }
        assertThatThrownBy(deadPrune::verifyHeld).isInstanceOf(LockedException.class).hasMessageContaining("Lost");
        deadPrune.close(); // deletes nothing: the item is no longer its own
    }

    @Test
    void anExpiredSharedItemIsDeletedByTheExclusiveLocker() {
        long past = TestRepositories.T0.minusSeconds(60).toEpochMilli();
        dynamo.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(DynamoDbLocks.PARTITION),
                "sk", AttributeValue.fromS("shared#DEAD"), "kind", AttributeValue.fromS("shared"),
                "owner", AttributeValue.fromS("gone pid 1"), "purpose", AttributeValue.fromS("backup"),
                "leaseId", AttributeValue.fromS("dead"), "expiresAt", AttributeValue.fromN(Long.toString(past / 1000)),
                "expiresAtMillis", AttributeValue.fromN(Long.toString(past)))));
        try (var prune = locks().lockExclusive("prune")) {
            assertThat(lockItems()).extracting(item -> item.get("sk").s()).containsExactly("exclusive");
        }
    }

    @Test
    void aLeaseWhoseItemWasDeletedOrOverwrittenIsLost() {
        var locks = locks();
        try (var backup = locks.lockShared("backup")) {
            backup.verifyHeld();
            var sk = lockItems().getFirst().get("sk").s();
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(DynamoDbLocks.PARTITION),
                    "sk", AttributeValue.fromS(sk))));
            assertThatThrownBy(backup::verifyHeld).isInstanceOf(LockedException.class).hasMessageContaining("Lost");
        }
        try (var prune = locks.lockExclusive("prune")) {
            prune.verifyHeld();
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(DynamoDbLocks.PARTITION),
                    "sk", AttributeValue.fromS("exclusive"))).updateExpression("SET leaseId = :other")
                    .expressionAttributeValues(Map.of(":other", AttributeValue.fromS("someone else"))));
            assertThatThrownBy(prune::verifyHeld).isInstanceOf(LockedException.class).hasMessageContaining("Lost");
            prune.close();
            prune.close();
            // Closing a lost lease leaves the other owner's item alone.
            assertThat(lockItems()).hasSize(1);
        }
    }

    @Test
    void aHeldLeaseIsRefreshedAndALostOneStaysLost() throws Exception {
        var ttl = Duration.ofMillis(1500);
        var locks = locks(Clock.systemUTC(), ttl, Duration.ZERO);
        try (var backup = locks.lockShared("backup")) {
            long first = Long.parseLong(lockItems().getFirst().get("expiresAtMillis").n());
            // A refresh after the first expiry has passed: only the refreshes keep it.
            await().atMost(Duration.ofSeconds(15)).until(() ->
                    Long.parseLong(lockItems().getFirst().get("expiresAtMillis").n()) > first + ttl.toMillis());
            backup.verifyHeld();
            assertThat(Long.parseLong(lockItems().getFirst().get("expiresAtMillis").n())).isGreaterThan(first);
            assertThatThrownBy(() -> locks.lockExclusive("prune")).isInstanceOf(LockedException.class);
            // Taken over by someone else: the next refresh fails its condition and the lease is lost for good.
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(DynamoDbLocks.PARTITION),
                    "sk", lockItems().getFirst().get("sk"))).updateExpression("SET leaseId = :other")
                    .expressionAttributeValues(Map.of(":other", AttributeValue.fromS("someone else"))));
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThatThrownBy(backup::verifyHeld).isInstanceOf(LockedException.class));
            assertThatThrownBy(backup::verifyHeld).as("lost for good").isInstanceOf(LockedException.class);
        }
    }

    @Test
    void aRepositoryWithDynamoDbLocksBacksUpAndPrunesAndAHeldExclusiveLockStopsABackup() {
        var store = new InMemoryBlobStore();
        var options = TestRepositories.options(clock).withLocks(locks());
        var repo = Repository.init(store, TestRepositories.PASSPHRASE, TestRepositories.SMALL, options);
        var first = repo.backupStream(new ByteArrayInputStream(TestRepositories.text(1, 200_000)), BackupOptions.defaults());
        var second = repo.backupStream(new ByteArrayInputStream(TestRepositories.text(2, 200_000)), BackupOptions.defaults());
        repo.forget(first.id());
        repo.prune();
        assertThat(repo.list()).extracting(RecoveryPoint::id).containsExactly(second.id());
        assertThat(store.list("locks/")).isEmpty(); // no lock objects in the store: the locks are in DynamoDB
        assertThat(lockItems()).isEmpty();

        var otherProcess = locks();
        try (var prune = otherProcess.lockExclusive("prune elsewhere")) {
            assertThatThrownBy(() -> repo.backupStream(new ByteArrayInputStream(new byte[] {1, 2, 3}),
                    BackupOptions.defaults())).isInstanceOf(LockedException.class)
                    .hasMessageContaining("exclusive, prune elsewhere");
            assertThatThrownBy(repo::prune).isInstanceOf(LockedException.class);
        }
        try (var backupElsewhere = otherProcess.lockShared("backup elsewhere")) {
            assertThatThrownBy(repo::prune).isInstanceOf(LockedException.class).hasMessageContaining("shared, backup elsewhere");
            repo.backupStream(new ByteArrayInputStream(new byte[] {1, 2, 3}), BackupOptions.defaults());
        }
        repo.prune();
        assertThat(repo.list()).hasSize(2);
        assertThat(repo.check().isClean()).isTrue();
    }
}
