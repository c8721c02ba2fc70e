package io.cloudconnector.scalez.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.PackEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class IndexCodecTests {

    @Provide
    Arbitrary<List<PackContents>> packs() {
        var ids = Arbitraries.bytes().array(byte[].class).ofSize(32).map(b -> ObjectId.fromBytes(b, 0));
        // Few distinct ids so that the same chunk often appears in several packs.
        var chunkIds = Arbitraries.integers().between(0, 30).map(i -> new ObjectId(i, i * 31L, 0, 7));
        var lengths = Arbitraries.integers().between(1, 1 << 20);
        var entryShape = net.jqwik.api.Combinators.combine(
                        chunkIds, Arbitraries.of(BlobType.class), Arbitraries.of(Codec.class), lengths, lengths)
                .as((id, t, c, raw, len) -> new PackEntry(id, t, c, raw, 0, len));
        return net.jqwik.api.Combinators.combine(ids, entryShape.list().ofMaxSize(20))
                .as((packId, shapes) -> {
                    var entries = new ArrayList<PackEntry>();
                    long offset = 0;
                    for (var s : shapes) {
                        entries.add(new PackEntry(s.id(), s.type(), s.codec(), s.rawLength(), offset, s.length()));
                        offset += s.length();
                    }
                    return new PackContents(packId, entries);
                })
                .list()
                .ofMaxSize(10);
    }

    @Property(tries = 200, seed = "20260101")
    void indexFilesRoundTrip(@ForAll("packs") List<PackContents> packs) {
        var file = new IndexFile(packs);
        assertThat(IndexFile.decode(file.encode())).isEqualTo(file);
    }

    @Property(tries = 200, seed = "20260101")
    void chunkIndexAgreesWithAMapWhereTheFirstLocationWins(@ForAll("packs") List<PackContents> packs) {
        var index = new ChunkIndex();
        var model = new HashMap<ObjectId, ChunkIndex.Location>();
        for (var pack : packs) {
            index.addPack(pack.packId(), pack.entries());
            for (var e : pack.entries()) {
                model.putIfAbsent(e.id(), new ChunkIndex.Location(pack.packId(), e));
            }
        }
        assertThat(index.size()).isEqualTo(model.size());
        model.forEach((id, location) -> assertThat(index.find(id)).isEqualTo(location));
        assertThat(index.find(new ObjectId(-1, -1, -1, -1))).isNull();
        assertThat(index.contains(new ObjectId(-1, -1, -1, -1))).isFalse();
    }

    @Property(tries = 5, seed = "20260101")
    void chunkIndexGrowsPastItsInitialCapacity(@ForAll long seed) {
        var index = new ChunkIndex();
        var random = new java.util.Random(seed);
        var pack = new ObjectId(1, 2, 3, 4);
        var ids = new ArrayList<ObjectId>();
        for (int i = 0; i < 5000; i++) {
            var id = new ObjectId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
            ids.add(id);
            index.add(pack, new PackEntry(id, BlobType.DATA, Codec.ZSTD, i, i * 10L, 10));
        }
        for (int i = 0; i < ids.size(); i++) {
            assertThat(index.find(ids.get(i)).entry().rawLength()).isEqualTo(i);
        }
    }
}
