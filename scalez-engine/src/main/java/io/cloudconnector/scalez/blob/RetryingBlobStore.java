package io.cloudconnector.scalez.blob;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A blob store decorator that tries again after a {@link TransientBlobStoreException}, waiting an
 * exponentially growing, fully jittered delay, within a bound on attempts and on total time.
 *
 * <p>Everything else, a missing blob, a refused request, a bug, passes through at once.
 *
 * <p>A create-only write is ambiguous once an attempt has failed transiently: the request may have been
 * applied before its response was lost, so the next attempt finds "its own" blob. In that case, and only
 * then, the blob is read back: {@link #putIfAbsent} returns {@code true} if it holds exactly the bytes given,
 * since whoever wrote them (this call, or a writer of identical content) left the store as this call
 * intended; it returns {@code false} if the bytes differ. Callers that must tell writers apart (locks) put a
 * unique owner id in the content.
 *
 * <p>Why its own loop, when the services retry with resilience4j: what to do between attempts is part of the
 * answer here (the read-back of an ambiguous create), the engine is a plain library that takes no resilience
 * framework, and the injected sleeper and clock keep its tests instant.
 */
public final class RetryingBlobStore implements BlobStore {

    private final BlobStore delegate;
    private final RetryPolicy policy;
    private final Sleeper sleeper;
    private final Clock clock;
    private final RandomGenerator random;

    /** How often and how long to retry. */
    public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Duration maxElapsed) {

        public RetryPolicy {
            if (maxAttempts < 1
                    || baseDelay.isNegative()
                    || maxDelay.compareTo(baseDelay) < 0
                    || maxElapsed.isNegative()) {
                throw new IllegalArgumentException("Invalid retry policy: " + maxAttempts + " attempts, base "
                        + baseDelay + ", cap " + maxDelay + ", within " + maxElapsed);
            }
        }

        /** 6 attempts, delays from 100 ms doubling up to 5 s, at most 30 s in all. */
        public static RetryPolicy defaults() {
            return new RetryPolicy(6, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(30));
        }

        /** The most an attempt's delay may be before jitter: the base doubled per retry, capped. */
        Duration ceiling(int retry) {
            // Doubling more than 30 times cannot matter: any useful cap has applied long before.
            var grown = baseDelay.multipliedBy(1L << Math.min(retry - 1, 30));
            return grown.compareTo(maxDelay) > 0 ? maxDelay : grown;
        }
    }

    /** Retries with {@link RetryPolicy#defaults()}. */
    public RetryingBlobStore(BlobStore delegate) {
        this(delegate, RetryPolicy.defaults());
    }

    /** Retries with the given policy, real time and a random jitter. */
    public RetryingBlobStore(BlobStore delegate, RetryPolicy policy) {
        this(delegate, policy, Sleeper.THREAD, Clock.systemUTC(), RandomGenerator.getDefault());
    }

    /** Retries with the given policy, waiting with {@code sleeper}, timing with {@code clock}; for tests. */
    public RetryingBlobStore(
            BlobStore delegate, RetryPolicy policy, Sleeper sleeper, Clock clock, RandomGenerator random) {
        this.delegate = delegate;
        this.policy = policy;
        this.sleeper = sleeper;
        this.clock = clock;
        this.random = random;
    }

    @Override
    public URI location() {
        return delegate.location();
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return retry("write", key, attempt -> {
            boolean created = delegate.putIfAbsent(key, data);
            return created || (attempt > 1 && holds(key, data));
        });
    }

    @Override
    @SuppressWarnings("NullAway") // an Attempt<Void> returns null; NullAway does not model nullable type arguments here
    public void put(String key, byte[] data) {
        retry("write", key, attempt -> {
            delegate.put(key, data);
            return null;
        });
    }

    @Override
    public byte[] get(String key) {
        return retry("read", key, attempt -> delegate.get(key));
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return retry("read", key, attempt -> delegate.getRange(key, offset, length));
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        return retry("stat", key, attempt -> delegate.stat(key));
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        return retry("list", prefix, attempt -> delegate.list(prefix));
    }

    @Override
    @SuppressWarnings("NullAway") // an Attempt<Void> returns null; NullAway does not model nullable type arguments here
    public void delete(String key) {
        retry("delete", key, attempt -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public boolean isVersioned() {
        return delegate.isVersioned();
    }

    @Override
    public Optional<ObjectLockDefaults> objectLockDefaults() {
        return retry("read the Object Lock configuration of", "", attempt -> delegate.objectLockDefaults());
    }

    @Override
    public List<BlobVersion> listVersions(String prefix) {
        return retry("list versions", prefix, attempt -> delegate.listVersions(prefix));
    }

    @Override
    public byte[] getVersion(String key, String versionId) {
        return retry("read", key, attempt -> delegate.getVersion(key, versionId));
    }

    @Override
    public byte[] getRangeVersion(String key, String versionId, long offset, int length) {
        return retry("read", key, attempt -> delegate.getRangeVersion(key, versionId, offset, length));
    }

    @Override
    @SuppressWarnings("NullAway") // an Attempt<Void> returns null
    public void deleteVersion(String key, String versionId, boolean bypassGovernance) {
        retry("delete a version of", key, attempt -> {
            delegate.deleteVersion(key, versionId, bypassGovernance);
            return null;
        });
    }

    @Override
    @SuppressWarnings("NullAway") // an Attempt<Void> returns null
    public void putRetention(
            String key, String versionId, LockMode mode, java.time.Instant until, boolean bypassGovernance) {
        retry("set the retention of", key, attempt -> {
            delegate.putRetention(key, versionId, mode, until, bypassGovernance);
            return null;
        });
    }

    @Override
    public Optional<java.time.Instant> retention(String key, String versionId) {
        return retry("read the retention of", key, attempt -> delegate.retention(key, versionId));
    }

    @Override
    @SuppressWarnings("NullAway") // an Attempt<Void> returns null
    public void putLegalHold(String key, String versionId, boolean on) {
        retry("set the legal hold of", key, attempt -> {
            delegate.putLegalHold(key, versionId, on);
            return null;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "RetryingBlobStore[" + delegate + "]";
    }

    /** Whether the blob now holds exactly {@code data}; see the class comment on ambiguous create-only writes. */
    private boolean holds(String key, byte[] data) {
        try {
            return Arrays.equals(delegate.get(key), data);
        } catch (BlobNotFoundException e) {
            // Deleted since the write found it: nothing of ours is there, so write again.
            throw new TransientBlobStoreException("Blob " + key + " vanished right after a conflicting write", e);
        }
    }

    private <T> T retry(String action, String key, Attempt<T> operation) {
        var start = clock.instant();
        for (int attempt = 1; ; attempt++) {
            TransientBlobStoreException failure;
            try {
                return operation.run(attempt);
            } catch (TransientBlobStoreException e) {
                failure = e;
            }
            var delay = jittered(policy.ceiling(attempt));
            var elapsed = Duration.between(start, clock.instant());
            if (attempt >= policy.maxAttempts() || elapsed.plus(delay).compareTo(policy.maxElapsed()) > 0) {
                throw new TransientBlobStoreException(
                        "Cannot %s blob %s in %s after %d attempts in %s: %s"
                                .formatted(action, key, delegate.location(), attempt, elapsed, failure.getMessage()),
                        failure);
            }
            try {
                sleeper.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                var interrupted = new BlobStoreException(
                        "Interrupted while retrying to %s blob %s in %s".formatted(action, key, delegate.location()),
                        e);
                interrupted.addSuppressed(failure);
                throw interrupted;
            }
        }
    }

    /** Full jitter: uniform between zero and the ceiling, so that many clients backing off spread out. */
    private Duration jittered(Duration ceiling) {
        return Duration.ofNanos((long) (random.nextDouble() * ceiling.toNanos()));
    }

    @FunctionalInterface
    private interface Attempt<T> {

        T run(int attempt);
    }
}
