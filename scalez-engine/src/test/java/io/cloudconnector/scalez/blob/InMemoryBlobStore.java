package io.cloudconnector.scalez.blob;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/** A blob store in the heap, for tests (in the engine's test-jar); it copies bytes in and out. */
public final class InMemoryBlobStore implements BlobStore {

    private static final AtomicLong INSTANCES = new AtomicLong();

    // A concurrent sorted map rather than a ConcurrentHashMap: list(prefix) is then a range scan already in
    // key order, and putIfAbsent/put/remove stay atomic per key.
    private final ConcurrentSkipListMap<String, Stored> blobs = new ConcurrentSkipListMap<>(BlobKeys.ORDER);
    private final Clock clock;
    private final URI location = URI.create("memory:/" + INSTANCES.incrementAndGet());
    private final AtomicLong rangeReads = new AtomicLong();

    /** An empty store whose blobs are stamped with the system clock. */
    public InMemoryBlobStore() {
        this(Clock.systemUTC());
    }

    /** An empty store whose blobs are stamped with the given clock. */
    public InMemoryBlobStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public URI location() {
        return location;
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) {
        return blobs.putIfAbsent(BlobKeys.requireValid(key), stored(data)) == null;
    }

    @Override
    public void put(String key, byte[] data) {
        blobs.put(BlobKeys.requireValid(key), stored(data));
    }

    @Override
    public byte[] get(String key) {
        return find(key).data().clone();
    }

    @Override
    public byte[] getRange(String key, long offset, int length) {
        BlobKeys.requireValidRange(offset, length);
        rangeReads.incrementAndGet();
        var data = find(key).data();
        int from = (int) Math.min(offset, data.length);
        return Arrays.copyOfRange(data, from, (int) Math.min((long) from + length, data.length));
    }

    /** How many range reads ({@link #getRange}) it answered. */
    public long rangeReads() {
        return rangeReads.get();
    }

    @Override
    public Optional<BlobInfo> stat(String key) {
        return Optional.ofNullable(blobs.get(BlobKeys.requireValid(key))).map(stored -> stored.info(key));
    }

    @Override
    public List<BlobInfo> list(String prefix) {
        BlobKeys.requireValidPrefix(prefix);
        return blobs.tailMap(prefix).entrySet().stream()
                .takeWhile(entry -> entry.getKey().startsWith(prefix))
                .map(entry -> entry.getValue().info(entry.getKey()))
                .toList();
    }

    @Override
    public void delete(String key) {
        blobs.remove(BlobKeys.requireValid(key));
    }

    @Override
    public String toString() {
        return "InMemoryBlobStore[" + location + ", " + blobs.size() + " blobs]";
    }

    private Stored stored(byte[] data) {
        return new Stored(data.clone(), clock.instant());
    }

    private Stored find(String key) {
        var stored = blobs.get(BlobKeys.requireValid(key));
        if (stored == null) {
            throw new BlobNotFoundException(key);
        }
        return stored;
    }

    private record Stored(byte[] data, Instant lastModified) {

        BlobInfo info(String key) {
            return new BlobInfo(key, data.length, lastModified);
        }
    }
}
