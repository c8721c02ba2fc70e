package io.cloudconnector.scalez.maintenance;

import io.cloudconnector.scalez.ByteReader;
import io.cloudconnector.scalez.ByteWriter;
import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.RepositoryContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The packs a prune is about to delete, written before it deletes the old index files (storage format §9). A prune
 * killed between its index deletes and its pack deletes leaves those packs in no index; the next prune reads the
 * plan and deletes the ones that still are in no index at once, instead of waiting out the orphan grace period.
 * Plaintext {@code "SCZP" | version | count | pack id*}, sealed; stored at {@code prune/<sha256 of the stored bytes>}.
 */
record PrunePlan(List<ObjectId> packs) {

    static final String PREFIX = "prune/";
    private static final byte[] AAD = "SCZP".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    PrunePlan {
        packs = List.copyOf(packs);
    }

    byte[] encode() {
        var out = new ByteWriter(16 + packs.size() * ObjectId.LENGTH)
                .bytes(AAD)
                .u8(VERSION)
                .u32(packs.size());
        packs.forEach(p -> out.bytes(p.toBytes()));
        return out.toByteArray();
    }

    static PrunePlan decode(byte[] plain) {
        var in = new ByteReader(plain);
        in.expectHeader(AAD, VERSION, "prune plan");
        int count = in.u32();
        if (count < 0 || count > in.remaining() / ObjectId.LENGTH) {
            throw new FormatException("Prune plan claims " + count + " packs");
        }
        var packs = new ArrayList<ObjectId>(count);
        for (int i = 0; i < count; i++) {
            packs.add(ObjectId.fromBytes(in.bytes(ObjectId.LENGTH), 0));
        }
        in.expectEnd("Prune plan");
        return new PrunePlan(packs);
    }

    /** Seals and stores the plan create-only; returns its key. */
    String write(RepositoryContext ctx) {
        var stored = ctx.sealObject(encode(), AAD);
        var key = PREFIX + ObjectId.sha256(stored).hex();
        ctx.store().putIfAbsent(key, stored);
        return key;
    }

    /**
     * Every readable plan in the store by key. A plan that does not hash to its name or does not open is skipped:
     * its packs then wait out the grace period like any other pack in no index.
     */
    static Map<String, PrunePlan> load(RepositoryContext ctx) {
        var plans = new TreeMap<String, PrunePlan>();
        for (var info : ctx.store().list(PREFIX)) {
            var key = info.key();
            try {
                var id = ObjectId.parse(key.substring(PREFIX.length()));
                plans.put(key, decode(ctx.aead().open(ctx.readAddressed(key, id), AAD)));
            } catch (ScalezException | IllegalArgumentException e) {
                // not a plan this run can trust
            }
        }
        return plans;
    }
}
