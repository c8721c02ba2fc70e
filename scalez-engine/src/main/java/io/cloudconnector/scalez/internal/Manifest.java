package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.ByteReader;
import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.blob.LockMode;
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
import org.jspecify.annotations.Nullable;

/**
 * A recovery-point manifest, {@code snapshots/<rp-id>}: the summary plus the roots of its content, i.e.
 * the META chunks of the block map (BLOCK) or of the chunk list / node stream (FILE, STREAM, TREE).
 */
public record Manifest(
        RecoveryPoint summary,
        List<ObjectId> roots,
        @Nullable PointRecord record) {

    /** Block-map entries per META page: 16384 x 32 bytes = 512 KiB, one page per 8 GiB of device. */
    public static final int PAGE_ENTRIES = 16384;

    private static final byte[] MAGIC = "SCZS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    /** Version 2 adds the point's record (§7.2); written only into versioned stores. */
    private static final int VERSION_RECORDED = 2;

    public Manifest {
        roots = List.copyOf(roots);
    }

    /** A manifest without a record (format 1). */
    public Manifest(RecoveryPoint summary, List<ObjectId> roots) {
        this(summary, roots, null);
    }

    public static String key(String id) {
        return "snapshots/" + id;
    }

    public byte[] seal(Aead aead) {
        var s = summary;
        var header = new ByteWriter(64)
                .bytes(MAGIC)
                .u8(record == null ? VERSION : VERSION_RECORDED)
                .str(s.id())
                .toByteArray();
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
        if (record != null) {
            body.u64(record.lockedUntil() == null ? 0 : record.lockedUntil().toEpochMilli());
            body.u8(record.mode() == null ? 0 : record.mode() == LockMode.GOVERNANCE ? 1 : 2);
            var sorted = new ArrayList<>(record.objects());
            sorted.sort(java.util.Comparator.comparing(PointRecord.Entry::key));
            body.u32(sorted.size());
            for (var e : sorted) {
                body.str(e.key())
                        .str(e.versionId())
                        .u64(e.retainUntil() == null ? 0 : e.retainUntil().toEpochMilli());
            }
        }
        return new ByteWriter(header.length + body.size() + Aead.OVERHEAD)
                .bytes(header)
                .bytes(aead.seal(body.toByteArray(), header))
                .toByteArray();
    }

    public static Manifest open(String expectedId, byte[] stored, Aead aead) {
        var in = new ByteReader(stored);
        in.expect(MAGIC, "manifest");
        int version = in.u8();
        if (version != VERSION && version != VERSION_RECORDED) {
            throw new FormatException("Unsupported manifest version " + version);
        }
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
        if (count < 0
                || (version == VERSION
                        ? (long) count * ObjectId.LENGTH != body.remaining()
                        : (long) count * ObjectId.LENGTH > body.remaining())) {
            throw new FormatException("Manifest claims " + count + " roots");
        }
        var roots = new ArrayList<ObjectId>(count);
        for (int i = 0; i < count; i++) {
            roots.add(ObjectId.fromBytes(body.bytes(ObjectId.LENGTH), 0));
        }
        PointRecord record = null;
        if (version == VERSION_RECORDED) {
            long lockedUntil = body.u64();
            int mode = body.u8();
            if (mode > 2) {
                throw new FormatException("Unknown lock mode " + mode);
            }
            int objects = body.u32();
            if (objects < 0 || objects > body.remaining() / 12) {
                throw new FormatException("Manifest claims " + objects + " recorded objects");
            }
            var entries = new ArrayList<PointRecord.Entry>(objects);
            for (int i = 0; i < objects; i++) {
                var key = body.str();
                var versionId = body.str();
                long retain = body.u64();
                entries.add(new PointRecord.Entry(key, versionId, retain == 0 ? null : Instant.ofEpochMilli(retain)));
            }
            body.expectEnd("manifest");
            record = new PointRecord(
                    lockedUntil == 0 ? null : Instant.ofEpochMilli(lockedUntil),
                    mode == 0 ? null : mode == 1 ? LockMode.GOVERNANCE : LockMode.COMPLIANCE,
                    entries);
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
                roots,
                record);
    }
}
