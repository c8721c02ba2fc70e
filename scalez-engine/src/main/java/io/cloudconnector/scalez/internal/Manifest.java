package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.ByteReader;
import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.model.SourceKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.TreeMap;

/**
 * A recovery-point manifest, {@code snapshots/<rp-id>}: the summary plus the roots of its content, i.e.
 * the META chunks of the block map (BLOCK) or of the chunk list / node stream (FILE, STREAM, TREE).
 */
public record Manifest(RecoveryPoint summary, List<ObjectId> roots) {

    /** Block-map entries per META page: 16384 x 32 bytes = 512 KiB, one page per 8 GiB of device. */
    public static final int PAGE_ENTRIES = 16384;

    private static final byte[] MAGIC = "SCZS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    public Manifest {
        roots = List.copyOf(roots);
    }

    public static String key(String id) {
        return "snapshots/" + id;
    }

    public byte[] seal(Aead aead) {
        var s = summary;
        var header = new ByteWriter(64).bytes(MAGIC).u8(VERSION).str(s.id()).toByteArray();
        var body = new ByteWriter(256 + roots.size() * ObjectId.LENGTH)
                .str(s.id())
                .u8(s.kind().code())
                .u64(s.time().toEpochMilli())
                .str(s.parent() == null ? "" : s.parent())
                .str(s.source());
        var labels = new TreeMap<>(s.labels());
        body.u16(labels.size());
        labels.forEach((k, v) -> body.str(k).str(v));
        body.u64(s.logicalSize())
                .u64(s.bytesProcessed())
                .u64(s.bytesAdded())
                .u64(s.duration().toMillis());
        body.u32(roots.size());
        for (var root : roots) {
            body.bytes(root.toBytes());
        }
        return new ByteWriter(header.length + body.size() + Aead.OVERHEAD)
                .bytes(header)
                .bytes(aead.seal(body.toByteArray(), header))
                .toByteArray();
    }

    public static Manifest open(String expectedId, byte[] stored, Aead aead) {
        var in = new ByteReader(stored);
        in.expectHeader(MAGIC, VERSION, "manifest");
        var id = in.str();
        if (!id.equals(expectedId)) {
            throw new FormatException("Manifest names itself " + id);
        }
        int headerLength = in.position();
        var body = new ByteReader(
                aead.open(stored, headerLength, stored.length - headerLength, Arrays.copyOf(stored, headerLength)));
        if (!body.str().equals(id)) {
            throw new FormatException("Manifest body names another recovery point");
        }
        var kind = SourceKind.ofCode(body.u8());
        var time = Instant.ofEpochMilli(body.u64());
        var parent = body.str();
        var source = body.str();
        int labelCount = body.u16();
        var labels = new LinkedHashMap<String, String>();
        for (int i = 0; i < labelCount; i++) {
            labels.put(body.str(), body.str());
        }
        long logical = body.u64();
        long processed = body.u64();
        long added = body.u64();
        var duration = Duration.ofMillis(body.u64());
        int count = body.u32();
        if (count < 0 || (long) count * ObjectId.LENGTH != body.remaining()) {
            throw new FormatException("Manifest claims " + count + " roots");
        }
        var roots = new ArrayList<ObjectId>(count);
        for (int i = 0; i < count; i++) {
            roots.add(ObjectId.fromBytes(body.bytes(ObjectId.LENGTH), 0));
        }
        return new Manifest(
                new RecoveryPoint(
                        id,
                        kind,
                        time,
                        parent.isEmpty() ? null : parent,
                        source,
                        labels,
                        logical,
                        processed,
                        added,
                        duration),
                roots);
    }
}
