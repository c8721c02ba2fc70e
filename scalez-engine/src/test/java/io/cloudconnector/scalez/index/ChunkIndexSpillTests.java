package io.cloudconnector.scalez.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.PackEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** A chunk index that spills to disk answers exactly like one that holds everything in memory. */
class ChunkIndexSpillTests {

    private static final Path SPILL = Path.of(System.getProperty("java.io.tmpdir"), "scalez-index-tests");

    /** One step: add a pack, or look up (which merges what was spilled so far). */
    record Step(ObjectId packId, List<PackEntry> entries, List<ObjectId> lookups) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        var packIds = Arbitraries.integers().between(0, 40).map(i -> new ObjectId(99, i, i * 7L, 1));
        // Both hash-like ids and clustered ones (same first long) that defeat any interpolation.
        var hashed = Arbitraries.longs().map(seed -> {
            var r = new Random(seed % 200);
            return new ObjectId(r.nextLong(), r.nextLong(), r.nextLong(), r.nextLong());
        });
        var clustered = Arbitraries.integers().between(0, 60).map(i -> new ObjectId(i % 3, i, 0, 7));
        var chunkIds = Arbitraries.oneOf(hashed, clustered);
        var entry = Combinators.combine(
                        chunkIds,
                        Arbitraries.of(BlobType.class),
                        Arbitraries.of(Codec.class),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE),
                        Arbitraries.longs().between(0, Integer.MAX_VALUE),
                        Arbitraries.integers().between(1, Integer.MAX_VALUE))
                .as(PackEntry::new);
        var step = Combinators.combine(
                        packIds, entry.list().ofMaxSize(30), chunkIds.list().ofMaxSize(5))
                .as(Step::new);
        return step.list().ofMaxSize(30);
    }

    @Property(tries = 300, seed = "20261207")
    void aSpillingIndexAnswersLikeAMapWhereTheFirstLocationWins(
            @ForAll("steps") List<Step> steps, @ForAll @IntRange(min = 1, max = 40) int memoryEntries) {
        var spilling = new ChunkIndex(memoryEntries, SPILL);
        var inMemory = new ChunkIndex(Integer.MAX_VALUE, SPILL);
        var model = new HashMap<ObjectId, ChunkIndex.Location>();
        var packs = new ArrayList<ObjectId>();
        try {
            for (var step : steps) {
                spilling.addPack(step.packId(), step.entries());
                inMemory.addPack(step.packId(), step.entries());
                if (!packs.contains(step.packId())) {
                    packs.add(step.packId());
                }
                for (var e : step.entries()) {
                    model.putIfAbsent(e.id(), new ChunkIndex.Location(step.packId(), e));
                }
                for (var id : step.lookups()) {
                    assertThat(spilling.find(id)).isEqualTo(model.get(id));
                    assertThat(spilling.contains(id)).isEqualTo(model.containsKey(id));
                }
            }
            assertThat(spilling.size()).isEqualTo(model.size()).isEqualTo(inMemory.size());
            model.forEach((id, location) -> {
                assertThat(spilling.find(id)).isEqualTo(location);
                assertThat(inMemory.find(id)).isEqualTo(location);
                assertThat(spilling.contains(id)).isTrue();
            });
            for (var absent : List.of(
                    new ObjectId(-1, -1, -1, -1), ObjectId.ZERO, new ObjectId(1, 1, 0, 7), new ObjectId(2, 99, 0, 7))) {
                if (!model.containsKey(absent)) {
                    assertThat(spilling.find(absent)).isNull();
                    assertThat(spilling.contains(absent)).isFalse();
                }
            }
            assertThat(spilling.packs()).isEqualTo(packs).isEqualTo(inMemory.packs());
            packs.forEach(p -> assertThat(spilling.hasPack(p)).isTrue());
            assertThat(spilling.spilledSize() + inMemoryCount(spilling)).isEqualTo(model.size());
        } finally {
            spilling.close();
        }
    }

    @Test
    void manyHashedIdsSpillAcrossManyRunsAndAreAllFound() throws IOException {
        var dir = Files.createTempDirectory("scalez-spill");
        var index = new ChunkIndex(5_000, dir);
        var random = new Random(7);
        var ids = new ArrayList<ObjectId>();
        for (int p = 0; p < 1_000; p++) {
            var pack = new ObjectId(p, 0, 0, 1);
            var entries = new ArrayList<PackEntry>();
            for (int i = 0; i < 100; i++) {
                var id = new ObjectId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
                ids.add(id);
                entries.add(new PackEntry(id, BlobType.DATA, Codec.ZSTD, i, i * 1000L, 900));
            }
            assertThat(index.addPack(pack, entries)).isEqualTo(100);
        }
        // The same ids again, in other packs: the first location stays.
        index.addPack(
                new ObjectId(-5, 0, 0, 1), List.of(new PackEntry(ids.get(3), BlobType.META, Codec.NONE, 1, 2, 3)));
        assertThat(index.size()).isEqualTo(100_000);
        assertThat(index.spilledSize()).isEqualTo(100_000);
        // Spill files are unlinked as soon as they are created: nothing is left in the directory.
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
        for (int i = 0; i < ids.size(); i++) {
            var location = index.find(ids.get(i));
            assertThat(location).isNotNull();
            assertThat(location.packId()).isEqualTo(new ObjectId(i / 100, 0, 0, 1));
            assertThat(location.entry())
                    .isEqualTo(new PackEntry(ids.get(i), BlobType.DATA, Codec.ZSTD, i % 100, (i % 100) * 1000L, 900));
        }
        for (int i = 0; i < 10_000; i++) {
            var absent = new ObjectId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
            assertThat(index.contains(absent)).isFalse();
        }
        // New chunks after the merge go to memory and are found with the spilled ones.
        var fresh = new ObjectId(1, 2, 3, 4);
        assertThat(index.add(new ObjectId(-6, 0, 0, 1), new PackEntry(fresh, BlobType.DATA, Codec.NONE, 5, 0, 5)))
                .isTrue();
        assertThat(index.add(new ObjectId(-7, 0, 0, 1), new PackEntry(ids.get(9), BlobType.DATA, Codec.NONE, 5, 0, 5)))
                .isFalse();
        assertThat(index.find(fresh)).isNotNull();
        assertThat(index.size()).isEqualTo(100_001);
        assertThat(index.packCount()).isEqualTo(1_002);
        index.close();
        assertThat(index.size()).isZero();
        Files.delete(dir);
    }

    private static long inMemoryCount(ChunkIndex index) {
        return index.size() - index.spilledSize();
    }
}
