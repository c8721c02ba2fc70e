package io.cloudconnector.scalez.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.InMemoryBlobStore;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.source.EbsCalls;
import io.cloudconnector.scalez.source.EbsSnapshotSource;
import io.cloudconnector.scalez.source.EbsStub;
import io.cloudconnector.scalez.source.EbsTransferOptions;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ebs.EbsClient;

/** {@link EbsSnapshotSink} against a local stub of the EBS direct APIs that checks what AWS checks. */
class EbsSnapshotSinkTests {

    private static final int BLOCK = 512 * 1024;

    private final EbsStub.RecordedPauses pauses = new EbsStub.RecordedPauses();
    private final EbsTransferOptions options = EbsTransferOptions.defaults()
            .withConcurrency(4)
            .withRetries(3, Duration.ofMillis(100), Duration.ofMillis(400))
            .withPause(pauses, () -> 0.5);
    private EbsStub stub;
    private EbsClient ebs;

    @BeforeEach
    void start() throws Exception {
        stub = new EbsStub();
        ebs = stub.client();
    }

    @AfterEach
    void stop() {
        ebs.close();
        stub.close();
    }

    private static EbsSnapshotSink.NewSnapshot spec(String token) {
        return new EbsSnapshotSink.NewSnapshot(
                "restore of rp-1", Map.of("cloudconnector:job", "j-1"), false, null, token, 60);
    }

    @Test
    void writesNonZeroBlocksWithChecksumsAndCompletesWithTheLinearAggregate() {
        var written = new HashMap<Long, byte[]>();
        String id;
        try (var sink = EbsSnapshotSink.create(ebs, spec("j-1-1"), options)) {
            sink.start(3L << 30);
            for (long index : new long[] {9, 0, 4000, 3}) {
                written.put(index, block(index));
                sink.writeBlock(index, block(index), BLOCK);
            }
            sink.zeroBlock(5, BLOCK);
            sink.finish();
            id = sink.snapshotId();
            assertThat(sink.blocksWritten()).isEqualTo(4);
            assertThat(sink.isCompleted()).isTrue();
        }

        var snapshot = stub.snapshot(id);
        assertThat(snapshot.status()).isEqualTo("completed");
        assertThat(snapshot.description()).isEqualTo("restore of rp-1");
        assertThat(snapshot.clientToken()).isEqualTo("j-1-1");
        assertThat(snapshot.tags()).contains("cloudconnector:job", "j-1");
        assertThat(snapshot.blocks().keySet()).containsExactly(0L, 3L, 9L, 4000L);
        snapshot.blocks()
                .forEach((index, data) -> assertThat(data).as("block %d", index).isEqualTo(written.get(index)));
        var linear = new ByteArrayOutputStream();
        for (long index : new long[] {0, 3, 9, 4000}) {
            linear.writeBytes(EbsCalls.sha256(written.get(index), BLOCK));
        }
        assertThat(snapshot.completion())
                .containsEntry("x-amz-changedblockscount", "4")
                .containsEntry(
                        "x-amz-checksum",
                        Base64.getEncoder().encodeToString(EbsCalls.sha256(linear.toByteArray(), linear.size())))
                .containsEntry("x-amz-checksum-algorithm", "SHA256")
                .containsEntry("x-amz-checksum-aggregation-method", "LINEAR");
        assertThat(stub.requests("StartSnapshot")).hasSize(1);
    }

    @Test
    void aShortLastBlockIsPaddedToAWholeBlock() {
        String id;
        try (var sink = EbsSnapshotSink.create(ebs, spec("j-2-1"), options)) {
            sink.start(BLOCK + 1000);
            sink.writeBlock(1, block(1), 1000);
            sink.finish();
            id = sink.snapshotId();
        }

        byte[] stored = stub.snapshot(id).blocks().get(1L);
        assertThat(stored).hasSize(BLOCK);
        assertThat(Arrays.copyOf(stored, 1000)).isEqualTo(Arrays.copyOf(block(1), 1000));
        assertThat(Arrays.copyOfRange(stored, 1000, BLOCK)).isEqualTo(new byte[BLOCK - 1000]);
    }

    @Test
    void aShortLastBlockAfterManyFullOnesIsPaddedWithZerosNotWithAnEarlierBlock() {
        // The sink reuses its block copies once their write is over: the last one must not keep an earlier tail.
        String id;
        try (var sink = EbsSnapshotSink.create(ebs, spec("j-2-2"), options)) {
            sink.start(40L * BLOCK + 1000);
            for (long index = 0; index < 40; index++) {
                sink.writeBlock(index, block(index), BLOCK);
            }
            sink.writeBlock(40, block(40), 1000);
            sink.finish();
            id = sink.snapshotId();
        }

        var blocks = stub.snapshot(id).blocks();
        assertThat(blocks).hasSize(41);
        for (long index = 0; index < 40; index++) {
            assertThat(blocks.get(index)).as("block %d", index).isEqualTo(block(index));
        }
        byte[] last = blocks.get(40L);
        assertThat(Arrays.copyOf(last, 1000)).isEqualTo(Arrays.copyOf(block(40), 1000));
        assertThat(Arrays.copyOfRange(last, 1000, BLOCK)).isEqualTo(new byte[BLOCK - 1000]);
    }

    @Test
    void aThrottledWriteIsTriedAgain() {
        stub.fail("PutSnapshotBlock", 2, 429, "RequestThrottledException");
        String id;
        try (var sink = EbsSnapshotSink.create(ebs, spec("j-3-1"), options)) {
            sink.start(1L << 30);
            sink.writeBlock(2, block(2), BLOCK);
            sink.finish();
            id = sink.snapshotId();
        }

        assertThat(stub.snapshot(id).blocks()).containsOnlyKeys(2L);
        assertThat(stub.requests("PutSnapshotBlock")).hasSize(3);
        assertThat(pauses.pauses()).containsExactly(Duration.ofMillis(50), Duration.ofMillis(100));
    }

    @Test
    void aWriteThatKeepsFailingFailsTheRestoreNamingTheBlockAndNeverCompletes() {
        stub.fail("PutSnapshotBlock", 3, 503, "ServiceUnavailable");
        try (var sink = EbsSnapshotSink.create(ebs, spec("j-4-1"), options)) {
            sink.start(1L << 30);
            sink.writeBlock(6, block(6), BLOCK);

            assertThatThrownBy(sink::finish)
                    .hasMessageContaining("Cannot write block 6 of snap-stub")
                    .hasMessageContaining("after 3 attempts");
            assertThat(sink.isCompleted()).isFalse();
        }
        assertThat(stub.requests("CompleteSnapshot")).isEmpty();
    }

    @Test
    void aRecoveryPointRestoresIntoASnapshotBlockForBlock() {
        var original = new HashMap<Long, byte[]>();
        for (long index : new long[] {0, 1, 77, 2000}) {
            original.put(index, block(index + 100));
        }
        stub.add("snap-source", 1, original);
        var store = new InMemoryBlobStore();
        var repository = Repository.init(store, new KeyCredential.Passphrase("test", new KdfParameters(1024, 1, 1)));
        String restored;
        try (var source = EbsSnapshotSource.of(ebs, "snap-source", options)) {
            var point = repository.backupBlocks(source, BackupOptions.defaults());
            try (var sink = EbsSnapshotSink.create(ebs, spec("j-5-1"), options)) {
                repository.restoreBlocks(point.id(), sink, ProgressListener.NONE);
                restored = sink.snapshotId();
            }
        }

        var snapshot = stub.snapshot(restored);
        assertThat(snapshot.status()).isEqualTo("completed");
        assertThat(snapshot.blocks().keySet()).containsExactlyInAnyOrderElementsOf(original.keySet());
        original.forEach(
                (index, data) -> assertThat(snapshot.blocks().get(index)).isEqualTo(data));
    }

    static byte[] block(long seed) {
        var data = new byte[BLOCK];
        new SplittableRandom(seed).nextBytes(data);
        return data;
    }
}
