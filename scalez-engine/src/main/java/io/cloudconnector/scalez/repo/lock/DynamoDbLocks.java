package io.cloudconnector.scalez.repo.lock;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.model.RecoveryPointIds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Locks as DynamoDB conditional-write leases in a vault's table (key {@code pk}/{@code sk}, TTL attribute
 * {@code expiresAt}), one repository per table, all under {@code pk = scalez-lock}: the exclusive lock is the item
 * {@code sk = exclusive}, each shared lock an item {@code sk = shared#<ulid>}. Every item holds {@code kind},
 * {@code owner}, {@code purpose}, {@code leaseId}, {@code expiresAt} (epoch seconds, for DynamoDB's TTL) and
 * {@code expiresAtMillis} (what the algorithm compares).
 *
 * <p>Shared: one transaction checks that the exclusive item is absent or expired and puts the shared item.
 * Exclusive: put the exclusive item if absent or expired, then query the shared items (strongly consistent); if an
 * unexpired one exists, delete one's own exclusive item and retry. A shared locker that commits before the
 * exclusive put is seen by the query; one that commits after fails its condition check, so the two never both
 * win. Contenders back off (jittered, exponential, capped) until the wait ends. Held leases are extended every
 * third of the TTL, on condition that the item still carries one's lease id and has not expired; once that
 * condition fails the lease is lost. Expired items (a killed owner) are ignored, overwritten or deleted.
 *
 * <p>The client is the caller's; every call here carries its own API call timeout.
 */
public final class DynamoDbLocks implements RepositoryLocks {

    static final String PARTITION = "scalez-lock";
    static final String EXCLUSIVE = "exclusive";
    static final String SHARED_PREFIX = "shared#";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final String NOT_HELD = "attribute_not_exists(pk) OR expiresAtMillis < :now";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration ttl;
    private final Duration wait;
    private final AwsRequestOverrideConfiguration timeout;

    public DynamoDbLocks(DynamoDbClient dynamo, String tableName, Clock clock, Duration ttl, Duration wait) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("The lock TTL must be positive, was " + ttl);
        }
        this.dynamo = dynamo;
        this.table = tableName;
        this.clock = clock;
        this.ttl = ttl;
        this.wait = wait;
        var callTimeout = CALL_TIMEOUT.compareTo(ttl) < 0
                ? CALL_TIMEOUT
                : ttl.dividedBy(2).plusSeconds(1);
        this.timeout = AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(callTimeout)
                .build();
    }

    @Override
    public Lease lockShared(String purpose) {
        var pauses = new LockWait(clock, wait, "DynamoDB table " + table);
        while (true) {
            var sk = SHARED_PREFIX + RecoveryPointIds.next(clock).substring(3);
            var leaseId = UUID.randomUUID().toString();
            long now = clock.millis();
            long expires = now + ttl.toMillis();
            try {
                dynamo.transactWriteItems(b -> b.overrideConfiguration(timeout)
                        .transactItems(
                                TransactWriteItem.builder()
                                        .conditionCheck(ConditionCheck.builder()
                                                .tableName(table)
                                                .key(key(EXCLUSIVE))
                                                .conditionExpression(NOT_HELD)
                                                .expressionAttributeValues(Map.of(":now", number(now)))
                                                .build())
                                        .build(),
                                TransactWriteItem.builder()
                                        .put(Put.builder()
                                                .tableName(table)
                                                .item(item(sk, "shared", purpose, leaseId, expires))
                                                .build())
                                        .build()));
                return new DynamoLease(sk, "shared", leaseId, expires);
            } catch (TransactionCanceledException e) {
                // The exclusive lock is held (or a concurrent transaction touched the item): wait and retry.
            } catch (SdkException e) {
                // The outcome is unknown (e.g. a timeout): remove the item in case it was written.
                deleteQuietly(sk, leaseId);
                throw failure("take a shared lock", e);
            }
            pauses.pause(() -> {
                var holder = read(EXCLUSIVE);
                return locked(holder != null ? holder : new LockInfo(EXCLUSIVE, "exclusive", "?", "?", 0, ""));
            });
        }
    }

    @Override
    public Lease lockExclusive(String purpose) {
        var pauses = new LockWait(clock, wait, "DynamoDB table " + table);
        while (true) {
            var leaseId = UUID.randomUUID().toString();
            long now = clock.millis();
            long expires = now + ttl.toMillis();
            LockInfo conflict;
            try {
                dynamo.putItem(b -> b.overrideConfiguration(timeout)
                        .tableName(table)
                        .item(item(EXCLUSIVE, "exclusive", purpose, leaseId, expires))
                        .conditionExpression(NOT_HELD)
                        .expressionAttributeValues(Map.of(":now", number(now))));
                conflict = sharedConflict();
                if (conflict == null) {
                    return new DynamoLease(EXCLUSIVE, "exclusive", leaseId, expires);
                }
                deleteQuietly(EXCLUSIVE, leaseId);
            } catch (ConditionalCheckFailedException e) {
                conflict = read(EXCLUSIVE);
                if (conflict == null) {
                    conflict = new LockInfo(EXCLUSIVE, "exclusive", "?", "?", 0, ""); // released meanwhile
                }
            } catch (SdkException e) {
                deleteQuietly(EXCLUSIVE, leaseId);
                throw failure("take the exclusive lock", e);
            }
            var seen = conflict;
            pauses.pause(() -> locked(seen));
        }
    }

    /** An unexpired shared lock, after deleting the expired ones; null if there is none. */
    private @Nullable LockInfo sharedConflict() {
        var pages = dynamo.queryPaginator(b -> b.overrideConfiguration(timeout)
                .tableName(table)
                .consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
                .expressionAttributeValues(Map.of(":pk", string(PARTITION), ":prefix", string(SHARED_PREFIX))));
        for (var item : pages.items()) {
            var lock = LockInfo.of(item);
            if (lock.expiresAtMillis() >= clock.millis()) {
                return lock;
            }
            try {
                // Only if unchanged: a holder that refreshed meanwhile still holds it.
                dynamo.deleteItem(b -> b.overrideConfiguration(timeout)
                        .tableName(table)
                        .key(key(lock.sk()))
                        .conditionExpression("expiresAtMillis = :seen")
                        .expressionAttributeValues(Map.of(":seen", number(lock.expiresAtMillis()))));
            } catch (ConditionalCheckFailedException e) {
                var now = read(lock.sk());
                if (now != null && now.expiresAtMillis() >= clock.millis()) {
                    return now;
                }
            }
        }
        return null;
    }

    private LockedException locked(LockInfo lock) {
        return new LockedException("Repository (DynamoDB table " + table + ") is locked (" + lock.kind() + ", "
                + lock.purpose() + ", by " + lock.owner() + ", until "
                + (lock.expiresAtMillis() > 0 ? Instant.ofEpochMilli(lock.expiresAtMillis()) : "?") + ")");
    }

    /** A lock item as read. */
    record LockInfo(String sk, String kind, String owner, String purpose, long expiresAtMillis, String leaseId) {

        static LockInfo of(Map<String, AttributeValue> item) {
            return new LockInfo(
                    text(item, "sk"),
                    text(item, "kind"),
                    text(item, "owner"),
                    text(item, "purpose"),
                    item.containsKey("expiresAtMillis")
                            ? Long.parseLong(item.get("expiresAtMillis").n())
                            : 0,
                    text(item, "leaseId"));
        }

        private static String text(Map<String, AttributeValue> item, String name) {
            var value = item.get(name);
            return value != null && value.s() != null ? value.s() : "?";
        }
    }

    private @Nullable LockInfo read(String sk) {
        try {
            var response = dynamo.getItem(b -> b.overrideConfiguration(timeout)
                    .tableName(table)
                    .key(key(sk))
                    .consistentRead(true));
            return response.hasItem() && !response.item().isEmpty() ? LockInfo.of(response.item()) : null;
        } catch (SdkException e) {
            throw failure("read the lock " + sk, e);
        }
    }

    private void deleteQuietly(String sk, String leaseId) {
        try {
            dynamo.deleteItem(b -> b.overrideConfiguration(timeout)
                    .tableName(table)
                    .key(key(sk))
                    .conditionExpression("leaseId = :lease")
                    .expressionAttributeValues(Map.of(":lease", string(leaseId))));
        } catch (SdkException e) {
            // Not ours (any more), or unreachable: then it expires after the TTL.
        }
    }

    private ScalezException failure(String what, SdkException e) {
        return new ScalezException("Cannot " + what + " in DynamoDB table " + table + ": " + e.getMessage(), e);
    }

    private Map<String, AttributeValue> item(
            String sk, String kind, String purpose, String leaseId, long expiresMillis) {
        var item = new HashMap<String, AttributeValue>(key(sk));
        item.put("kind", string(kind));
        item.put("owner", string(LockLeases.owner()));
        item.put("purpose", string(purpose));
        item.put("leaseId", string(leaseId));
        item.put("expiresAt", number(ttlSeconds(expiresMillis)));
        item.put("expiresAtMillis", number(expiresMillis));
        return item;
    }

    /** Rounded up, so that DynamoDB's TTL never removes an item before it expired here. */
    private static long ttlSeconds(long millis) {
        return Math.floorDiv(millis + 999, 1000);
    }

    private static Map<String, AttributeValue> key(String sk) {
        return Map.of("pk", string(PARTITION), "sk", string(sk));
    }

    private static AttributeValue string(String s) {
        return AttributeValue.fromS(s);
    }

    private static AttributeValue number(long n) {
        return AttributeValue.fromN(Long.toString(n));
    }

    private final class DynamoLease implements Lease {

        private final String sk;
        private final String kind;
        private final String leaseId;
        private final ScheduledExecutorService refresher;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile long validUntilMillis;
        private volatile boolean lost;

        DynamoLease(String sk, String kind, String leaseId, long expiresMillis) {
            this.sk = sk;
            this.kind = kind;
            this.leaseId = leaseId;
            this.validUntilMillis = expiresMillis;
            this.refresher = LockLeases.refreshing(ttl, this::refresh);
        }

        private void refresh() {
            if (closed.get() || lost) {
                return;
            }
            long now = clock.millis();
            long expires = now + ttl.toMillis();
            try {
                dynamo.updateItem(b -> b.overrideConfiguration(timeout)
                        .tableName(table)
                        .key(key(sk))
                        .updateExpression("SET expiresAt = :s, expiresAtMillis = :ms")
                        .conditionExpression("leaseId = :lease AND expiresAtMillis >= :now")
                        .expressionAttributeValues(Map.of(
                                ":s",
                                number(ttlSeconds(expires)),
                                ":ms",
                                number(expires),
                                ":lease",
                                string(leaseId),
                                ":now",
                                number(now))));
                validUntilMillis = expires;
            } catch (ConditionalCheckFailedException e) {
                lost = true; // taken over, removed, or expired before this refresh
            } catch (SdkException e) {
                // Try again next period; verifyHeld fails once the old expiry passes.
            }
        }

        @Override
        public void verifyHeld() {
            if (!closed.get() && !lost && clock.millis() <= validUntilMillis) {
                var item = read(sk);
                if (item != null && item.leaseId().equals(leaseId) && item.expiresAtMillis() >= clock.millis()) {
                    return;
                }
                lost = true;
            }
            throw new LockedException("Lost the " + kind + " lock " + sk + " in DynamoDB table " + table
                    + " (it expired or was removed)");
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            refresher.shutdownNow();
            deleteQuietly(sk, leaseId);
        }
    }
}
