package io.cloudconnector.scalez.index;

import io.cloudconnector.scalez.ByteReader;
import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.pack.PackEntry;
import io.cloudconnector.scalez.pack.PackHeader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The plaintext of an index file: {@code "SCZI" | version | count | (pack id | header length | pack
 * header)*}, i.e. the headers of the packs it covers, so that a backup need not read every pack.
 */
public record IndexFile(List<PackContents> packs) {

    /** The AAD of a sealed index file. */
    public static final byte[] AAD = "SCZI".getBytes(StandardCharsets.US_ASCII);

    private static final int VERSION = 1;

    public IndexFile {
        packs = List.copyOf(packs);
    }

    /** Where an index file is stored: {@code index/<sha256 of its stored bytes>}. */
    public static String key(ObjectId id) {
        return "index/" + id.hex();
    }

    /** The plaintext bytes. */
    public byte[] encode() {
        var out =
                new ByteWriter(64 + packs.size() * 1024).bytes(AAD).u8(VERSION).u32(packs.size());
        for (var pack : packs) {
            var header = PackHeader.encode(pack.entries());
            out.bytes(pack.packId().toBytes()).u32(header.length).bytes(header);
        }
        return out.toByteArray();
    }

    /** Parses plaintext bytes. */
    public static IndexFile decode(byte[] plain) {
        var packs = new ArrayList<PackContents>();
        forEachPack(plain, (id, entries) -> packs.add(new PackContents(id, entries)));
        return new IndexFile(packs);
    }

    /**
     * Calls {@code consumer} with each pack that plaintext bytes list, without holding them all: a reader that only
     * wants their entries in a {@link ChunkIndex} need not keep a large file's object graph. The whole file is
     * checked first, so that a damaged file yields nothing.
     */
    public static void forEachPack(byte[] plain, BiConsumer<ObjectId, List<PackEntry>> consumer) {
        walk(plain, (id, entries) -> {});
        walk(plain, consumer);
    }

    private static void walk(byte[] plain, BiConsumer<ObjectId, List<PackEntry>> consumer) {
        var in = new ByteReader(plain);
        in.expectHeader(AAD, VERSION, "index file");
        int count = in.u32();
        if (count < 0 || count > in.remaining() / ObjectId.LENGTH) {
            throw new FormatException("Index claims " + count + " packs");
        }
        for (int i = 0; i < count; i++) {
            var id = ObjectId.fromBytes(in.bytes(ObjectId.LENGTH), 0);
            var header = in.bytes(in.u32());
            consumer.accept(id, PackHeader.decode(header));
        }
        in.expectEnd("Index file");
    }
}
