package io.cloudconnector.scalez.pack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.hash.ObjectId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PackCodecTests {

    record Blob(ObjectId id, BlobType type, Codec codec, int raw, byte[] sealed) {}

    @Provide
    Arbitrary<List<Blob>> blobs() {
        var id = Arbitraries.bytes().array(byte[].class).ofSize(32).map(b -> ObjectId.fromBytes(b, 0));
        var blob = Combinators.combine(
                        id,
                        Arbitraries.of(BlobType.class),
                        Arbitraries.of(Codec.class),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as(Blob::new);
        return blob.list().ofMaxSize(40);
    }

    @Property(tries = 200, seed = "20260101")
    void aBuiltPackParsesBackToItsEntriesAndBlobs(@ForAll("blobs") List<Blob> blobs) {
        var builder = new PackBuilder(1024);
        var added = new ArrayList<PackEntry>();
        for (var b : blobs) {
            added.add(builder.add(b.id(), b.type(), b.codec(), b.raw(), b.sealed()));
        }
        // An identity "seal" keeps the test about layout; sealing is the repository's job.
        var pack = builder.finish(header -> header);
        var bytes = pack.bytes();
        assertThat(pack.id()).isEqualTo(ObjectId.sha256(bytes));
        assertThat(PackHeader.packLength(added, 0)).isEqualTo(bytes.length);

        int headerLength = PackHeader.sealedHeaderLength(Arrays.copyOfRange(bytes, bytes.length - 4, bytes.length));
        var header = Arrays.copyOfRange(bytes, bytes.length - 4 - headerLength, bytes.length - 4);
        var entries = PackHeader.decode(header);
        assertThat(entries).isEqualTo(added).isEqualTo(pack.entries());
        for (int i = 0; i < blobs.size(); i++) {
            var e = entries.get(i);
            assertThat(Arrays.copyOfRange(bytes, (int) e.offset(), (int) e.offset() + e.length()))
                    .isEqualTo(blobs.get(i).sealed());
        }
    }

    @Property(tries = 100, seed = "20260101")
    void aHeaderCutShortIsRejected(@ForAll("blobs") List<Blob> blobs) {
        var builder = new PackBuilder(1024);
        blobs.forEach(b -> builder.add(b.id(), b.type(), b.codec(), b.raw(), b.sealed()));
        var header = PackHeader.encode(builder.finish(h -> h).entries());
        assertThatThrownBy(() -> PackHeader.decode(Arrays.copyOf(header, header.length - 1)))
                .isInstanceOf(FormatException.class);
    }

    @Property(tries = 50, seed = "20260101")
    void blobAadBindsIdTypeCodecAndLength(@ForAll("blobs") List<Blob> blobs) {
        for (var b : blobs) {
            var aad = PackEntry.aad(b.id(), b.type(), b.codec(), b.raw());
            assertThat(aad).hasSize(38);
            assertThat(aad).isNotEqualTo(PackEntry.aad(b.id(), b.type(), b.codec(), b.raw() ^ 1));
            var other = b.type() == BlobType.DATA ? BlobType.META : BlobType.DATA;
            assertThat(aad).isNotEqualTo(PackEntry.aad(b.id(), other, b.codec(), b.raw()));
        }
    }
}
