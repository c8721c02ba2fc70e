package io.cloudconnector.scalez.maintenance;

import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.blob.BlobNotFoundException;
import io.cloudconnector.scalez.blob.BlobStoreException;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.crypto.DecryptionException;
import io.cloudconnector.scalez.crypto.KeyFile;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.ChunkLoader;
import io.cloudconnector.scalez.internal.IndexSet;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.internal.PackFiles;
import io.cloudconnector.scalez.internal.References;
import io.cloudconnector.scalez.internal.RepositoryConfig;
import io.cloudconnector.scalez.internal.RepositoryContext;
import io.cloudconnector.scalez.model.CorruptObjectException;
import io.cloudconnector.scalez.model.Finding;
import io.cloudconnector.scalez.model.MissingChunkException;
import io.cloudconnector.scalez.pack.PackEntry;
import io.cloudconnector.scalez.pack.PackHeader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/**
 * Checks a repository. Structure: keys and index files hash to their names, config and manifests decrypt,
 * every indexed pack exists with the right size, every chunk a recovery point needs is indexed. With
 * read-data also: every pack hashes to its name, its header matches the index, every blob decrypts and
 * hashes to its chunk id. A store error that is not "missing" makes the object unverified, not damaged.
 */
public final class Checker {

    private final RepositoryContext ctx;
    private final List<Finding> damage = new ArrayList<>();
    private final List<Finding> unverified = new ArrayList<>();
    private final List<Finding> warnings = new ArrayList<>();
    private long blobs;
    private int packsRead;

    public Checker(RepositoryContext ctx) {
        this.ctx = ctx;
    }

    private interface Step {
        void run();
    }

    // Runs one object's check and files what goes wrong under that object.
    private void guard(String key, Step step) {
        try {
            step.run();
        } catch (CorruptObjectException e) {
            damage.add(new Finding(
                    e.objectKey(),
                    java.util.Objects.requireNonNull(e.getMessage())
                            .substring(e.objectKey().length() + 2)));
        } catch (BlobNotFoundException e) {
            damage.add(new Finding(key, "missing"));
        } catch (MissingChunkException e) {
            damage.add(new Finding(key, "needs a chunk that is in no index: " + e.getMessage()));
        } catch (DecryptionException e) {
            damage.add(new Finding(key, "does not decrypt: " + e.getMessage()));
        } catch (FormatException e) {
            damage.add(new Finding(key, "is malformed: " + e.getMessage()));
        } catch (BlobStoreException e) {
            unverified.add(new Finding(key, "could not be read: " + e.getMessage()));
        } catch (IllegalArgumentException e) {
            damage.add(new Finding(key, "is not named by a SHA-256: " + e.getMessage()));
        }
    }

    /** Checks structure: every object decrypts or hashes to its name, every needed chunk is indexed and stored. */
    public CheckReport checkStructure() {
        return run(false);
    }

    /** Checks structure and reads every pack: every blob decrypts, decodes and hashes to its id. */
    public CheckReport checkReadingData() {
        return run(true);
    }

    /**
     * Checks structure and reads the packs {@code sample} selects (maintenance's rotating read-data sample: a stable
     * hash of the pack id modulo the cycle's days, against the day).
     */
    public CheckReport checkReadingSample(java.util.function.Predicate<ObjectId> sample) {
        return run(sample);
    }

    private CheckReport run(boolean readData) {
        return run(pack -> readData);
    }

    private CheckReport run(java.util.function.Predicate<ObjectId> readData) {
        guard("keys/", () -> {
            for (var info : ctx.store().list("keys/")) {
                guard(info.key(), () -> {
                    var bytes = ctx.readAddressed(
                            info.key(), ObjectId.parse(info.key().substring(5)));
                    KeyFile.parse(bytes);
                });
            }
        });
        guard(RepositoryConfig.KEY, () -> RepositoryConfig.open(ctx.store().get(RepositoryConfig.KEY), ctx.aead()));
        var indexes = guarded(() -> IndexSet.load(ctx));
        int[] packCount = {0};
        int[] points = {0};
        if (indexes != null) {
            damage.addAll(indexes.damaged());
            var indexed = indexes.packs();
            guard("packs/", () -> {
                var stored = new HashMap<ObjectId, Long>();
                for (var info : ctx.store().list("packs/")) {
                    var id = PackFiles.idOf(info.key());
                    if (id == null) {
                        warnings.add(new Finding(info.key(), "is not named like a pack"));
                        continue;
                    }
                    stored.put(id, info.size());
                    if (!indexed.containsKey(id)) {
                        warnings.add(new Finding(
                                info.key(), "is in no index (left by an interrupted backup; prune removes it)"));
                    }
                }
                packCount[0] = stored.size();
                for (var pack : indexed.values()) {
                    var key = io.cloudconnector.scalez.pack.Pack.key(pack.packId());
                    var size = stored.get(pack.packId());
                    long expected = PackHeader.packLength(pack.entries(), Aead.OVERHEAD);
                    if (size == null) {
                        damage.add(new Finding(key, "missing, but listed in an index"));
                    } else if (size != expected) {
                        damage.add(new Finding(
                                key,
                                "is " + size + " bytes, its index says " + expected
                                        + (size < expected ? " (truncated)" : "")));
                    }
                }
                for (var entry : stored.entrySet()) {
                    if (readData.test(entry.getKey())) {
                        var key = io.cloudconnector.scalez.pack.Pack.key(entry.getKey());
                        packsRead++;
                        guard(key, () -> readPack(key, entry.getKey(), indexed.get(entry.getKey())));
                    }
                }
            });
            var loader = new ChunkLoader(ctx, indexes.index());
            guard("snapshots/", () -> {
                for (var info : ctx.store().list("snapshots/")) {
                    points[0]++;
                    var id = info.key().substring("snapshots/".length());
                    guard(info.key(), () -> {
                        var manifest = Manifest.open(id, ctx.store().get(info.key()), ctx.aead());
                        var missing = new int[1];
                        var example = new ObjectId[1];
                        References.walk(loader, manifest, chunk -> {
                            if (!indexes.index().contains(chunk)) {
                                missing[0]++;
                                example[0] = chunk;
                            }
                        });
                        if (missing[0] > 0) {
                            damage.add(new Finding(
                                    info.key(),
                                    "needs " + missing[0] + " chunks that are in no index, e.g. " + example[0].hex()));
                        }
                    });
                }
            });
        }
        return new CheckReport(damage, unverified, warnings, points[0], packCount[0], blobs, packsRead);
    }

    private <T> @org.jspecify.annotations.Nullable T guarded(java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (BlobStoreException e) {
            if (e instanceof BlobNotFoundException) {
                throw e;
            }
            unverified.add(new Finding("index/", "could not be read: " + e.getMessage()));
            return null;
        }
    }

    private void readPack(
            String key,
            ObjectId id,
            io.cloudconnector.scalez.index.@org.jspecify.annotations.Nullable PackContents indexed) {
        var bytes = ctx.store().get(key);
        var actual = ObjectId.sha256(bytes);
        if (!actual.equals(id)) {
            throw new CorruptObjectException(
                    key,
                    "content does not match its name (SHA-256 " + actual.shortHex() + ", " + bytes.length + " bytes)");
        }
        var entries = PackFiles.parseHeader(ctx, key, bytes);
        if (indexed != null && !entries.equals(indexed.entries())) {
            throw new CorruptObjectException(key, "header does not match its index entry");
        }
        var loader = new ChunkLoader(ctx, new io.cloudconnector.scalez.index.ChunkIndex());
        for (PackEntry entry : entries) {
            loader.openVerified(key, entry, bytes, (int) entry.offset());
            blobs++;
        }
    }
}
