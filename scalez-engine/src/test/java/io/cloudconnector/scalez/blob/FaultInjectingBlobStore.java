package io.cloudconnector.scalez.blob;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A blob store decorator for tests that fails, slows down or corrupts on cue: outages, throttling, lost
 * responses, flipped bytes and truncated blobs, each scripted per operation and key prefix.
 *
 * <p>Deterministic: which byte {@link #flipByte(String)} corrupts depends only on the seed, the key and the
 * blob's size, and every read of a corrupted blob sees the same damage, as with a bad disk. Corruption and
 * truncation are in what reads return; the stored bytes are left alone.
 */
public final class FaultInjectingBlobStore implements BlobStore {

    /** The operations a fault can target. */
    public enum Operation {
        PUT_IF_ABSENT,
        PUT,
        GET,
        GET_RANGE,
        STAT,
        LIST,
        DELETE
    }

    private enum Kind {
        OUTAGE,
        THROTTLING,
        LOST_RESPONSE,
        PERMANENT
    }

    private final BlobStore delegate;
    private final long seed;
    private final Sleeper sleeper;
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, Long> flips = new ConcurrentHashMap<>();
    private final Map<String, Long> truncations = new ConcurrentHashMap<>();
    private final Map<Operation, Duration> latencies = new ConcurrentHashMap<>();
    private final Map<Operation, AtomicInteger> calls = new EnumMap<>(Operation.class);

    /** Wraps a store with no faults yet, seed 0, and real sleeps for {@link #addLatency}. */
    public FaultInjectingBlobStore(BlobStore delegate) {
        this(delegate, 0, Sleeper.THREAD);
    }

    /** Wraps a store with no faults yet; {@code sleeper} spends the latency {@link #addLatency} adds. */
    public FaultInjectingBlobStore(BlobStore delegate, long seed, Sleeper sleeper) {
        this.delegate = delegate;
        this.seed = seed;
        this.sleeper = sleeper;
        for (var operation : Operation.values()) {
            calls.put(operation, new AtomicInteger());
        }
    }

    /** The next {@code times} calls of the operation fail with a transient error and never reach the store. */
    public FaultInjectingBlobStore failNext(Operation operation, int times) {
        return failNext(operation, "", times);
    }

    /** As {@link #failNext(Operation, int)}, for calls whose key (or list prefix) starts with {@code keyPrefix}. */
    public FaultInjectingBlobStore failNext(Operation operation, String keyPrefix, int times) {
        return addRule(operation, keyPrefix, Kind.OUTAGE, times);
    }

    /** The next {@code times} calls of the operation are refused as throttled (S3's 503 SlowDown): transient. */
    public FaultInjectingBlobStore throttleNext(Operation operation, int times) {
        return addRule(operation, "", Kind.THROTTLING, times);
    }

    /**
     * The next {@code times} calls of the operation reach the store and take effect, then fail with a transient
     * error, as when a response is lost: the ambiguous failure a retried write must cope with.
     */
    public FaultInjectingBlobStore loseResponseOfNext(Operation operation, int times) {
        return addRule(operation, "", Kind.LOST_RESPONSE, times);
    }

    /** Every call of the operation on keys starting with {@code keyPrefix} fails permanently until {@link #heal()}. */
    public FaultInjectingBlobStore failPermanently(Operation operation, String keyPrefix) {
        return addRule(operation, keyPrefix, Kind.PERMANENT, Integer.MAX_VALUE);
    }

    /** Reads of the blob return one byte inverted, at a position chosen from the seed. */
    public FaultInjectingBlobStore flipByte(String key) {
        flips.put(BlobKeys.requireValid(key), -1L);
        return this;
    }

    /** Reads of the blob return the byte at {@code position} inverted. */
    public FaultInjectingBlobStore flipByteAt(String key, long position) {
        if (position < 0) {
            throw new IllegalArgumentException("Negative position " + position);
        }
        flips.put(BlobKeys.requireValid(key), position);
        return this;
    }

    /** The blob reads, stats and lists as if only its first {@code length} bytes had been stored. */
    public FaultInjectingBlobStore truncate(String key, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("Negative length " + length);
        }
        truncations.put(BlobKeys.requireValid(key), length);
        return this;
    }

    /** Every call of the operation first waits this long. */
    public FaultInjectingBlobStore addLatency(Operation operation, Duration latency) {
        latencies.put(operation, latency);
        return this;
    }

    /** Drops every scripted fault; call counts stay. */
    public void heal() {
        synchronized (rules) {
            rules.clear();
        }
        flips.clear();
        truncations.clear();
        latencies.clear();
    }

    /** How many times the operation was called, faults included. */
    public int calls(Operation operation) {
        return java.util.Objects.requireNonNull(calls.get(operation)).get();
    }

    @Override
    public URI location() {
        return delegate.location();
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return invoke(Operation.PUT_IF_ABSENT, key, () -> delegate.putIfAbsent(key, data));
    }

    @Override
    public void put(String key, byte[] data) {
        invoke(Operation.PUT, key, () -> {
            delegate.put(key, data);
            return null;
        });
    }

    @Override
    public byte[] get(String key) {
        return invoke(Operation.GET, key, () -> {
            var data = delegate.get(key);
            var end = truncations.get(key);
            var truncated = end == null || end >= data.length ? data : Arrays.copyOf(data, end.intValue());
            return corrupted(key, 0, truncated, truncated.length);
        });
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        return invoke(Operation.GET_RANGE, key, () -> {
            var end = truncations.get(key);
            int allowed = end == null ? length : (int) Math.max(0, Math.min(length, end - offset));
            var data = delegate.getRange(key, offset, allowed);
            return flips.containsKey(key) ? corrupted(key, offset, data, sizeOf(key)) : data;
        });
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        return invoke(Operation.STAT, key, () -> delegate.stat(key).map(this::truncated));
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        return invoke(
                Operation.LIST,
                prefix,
                () -> delegate.list(prefix).stream().map(this::truncated).toList());
    }

    @Override
    public void delete(String key) {
        invoke(Operation.DELETE, key, () -> {
            delegate.delete(key);
            return null;
        });
    }

    @Override
    public void close() {
        delegate.close();
    }

    @Override
    public String toString() {
        return "FaultInjectingBlobStore[" + delegate + "]";
    }

    private FaultInjectingBlobStore addRule(Operation operation, String keyPrefix, Kind kind, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("A fault must apply at least once, not " + times + " times");
        }
        synchronized (rules) {
            rules.add(new Rule(operation, keyPrefix, kind, new AtomicInteger(times)));
        }
        return this;
    }

    private <T> T invoke(Operation operation, String key, Supplier<T> call) {
        java.util.Objects.requireNonNull(calls.get(operation)).incrementAndGet();
        var latency = latencies.get(operation);
        if (latency != null) {
            pause(operation, key, latency);
        }
        var fault = takeFault(operation, key);
        if (fault != null && fault != Kind.LOST_RESPONSE) {
            throw failure(fault, operation, key);
        }
        var result = call.get();
        if (fault == Kind.LOST_RESPONSE) {
            throw failure(fault, operation, key);
        }
        return result;
    }

    /** The first rule that matches, counted down; rules apply in the order they were scripted. */
    private @Nullable Kind takeFault(Operation operation, String key) {
        synchronized (rules) {
            for (var iterator = rules.iterator(); iterator.hasNext(); ) {
                var rule = iterator.next();
                if (rule.operation() == operation && key.startsWith(rule.keyPrefix())) {
                    if (rule.remaining().decrementAndGet() == 0) {
                        iterator.remove();
                    }
                    return rule.kind();
                }
            }
            return null;
        }
    }

    private static BlobStoreException failure(Kind kind, Operation operation, String key) {
        var what = operation + " " + key;
        var cause = new InjectedFault(kind + " injected into " + what);
        return switch (kind) {
            case OUTAGE -> new TransientBlobStoreException("Injected outage: cannot " + what, cause);
            case THROTTLING -> new TransientBlobStoreException("Injected throttling (503 SlowDown): " + what, cause);
            case LOST_RESPONSE -> new TransientBlobStoreException("Injected lost response after " + what, cause);
            case PERMANENT -> new BlobStoreException("Injected permanent failure: cannot " + what, cause);
        };
    }

    private void pause(Operation operation, String key, Duration latency) {
        try {
            sleeper.sleep(latency);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlobStoreException("Interrupted during injected latency of " + operation + " " + key, e);
        }
    }

    /** {@code data}, read at {@code offset} of a blob of {@code size} bytes, with the scripted byte inverted. */
    private byte[] corrupted(String key, long offset, byte[] data, long size) {
        var scripted = flips.get(key);
        if (scripted == null || size == 0) {
            return data;
        }
        long position = scripted >= 0 ? scripted : new SplittableRandom(seed ^ key.hashCode()).nextLong(size);
        if (position < offset || position >= offset + data.length) {
            return data;
        }
        var copy = data.clone();
        copy[(int) (position - offset)] ^= (byte) 0xFF;
        return copy;
    }

    private long sizeOf(String key) {
        return delegate.stat(key).map(this::truncated).map(BlobInfo::size).orElse(0L);
    }

    private BlobInfo truncated(BlobInfo info) {
        var end = truncations.get(info.key());
        return end == null || end >= info.size() ? info : new BlobInfo(info.key(), end, info.lastModified());
    }

    private record Rule(Operation operation, String keyPrefix, Kind kind, AtomicInteger remaining) {}

    /** Marks a failure as scripted, so that a test can tell it from a real one. */
    static final class InjectedFault extends RuntimeException {

        InjectedFault(String message) {
            super(message, null, false, false);
        }
    }
}
