package io.cloudconnector.scalez.backup;

import io.cloudconnector.scalez.model.ProgressListener;
import java.time.Instant;
import java.util.BitSet;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Per-backup choices: the parent recovery point and changed-block set of a block incremental, labels stored in
 * the manifest (e.g. vault, asset), a source description overriding the path, a progress listener, and the point's
 * own retention ({@code retainUntil}: in an Object Lock store the point is locked until then if that is later than
 * its start plus the bucket's default period; null: the default only).
 */
public record BackupOptions(
        @Nullable String parent,
        @Nullable BitSet changedBlocks,
        Map<String, String> labels,
        @Nullable String source,
        ProgressListener progress,
        @Nullable Instant retainUntil) {

    /** Options without a retention of the point's own. */
    public BackupOptions(
            @Nullable String parent,
            @Nullable BitSet changedBlocks,
            Map<String, String> labels,
            @Nullable String source,
            ProgressListener progress) {
        this(parent, changedBlocks, labels, source, progress, null);
    }

    public BackupOptions {
        labels = Map.copyOf(labels);
        changedBlocks = changedBlocks == null ? null : (BitSet) changedBlocks.clone();
    }

    /** No parent, no labels, no progress. */
    public static BackupOptions defaults() {
        return new BackupOptions(null, null, Map.of(), null, ProgressListener.NONE, null);
    }

    /** With a parent: a block backup reuses its entries for blocks outside the changed set. */
    public BackupOptions withParent(String recoveryPointId) {
        return new BackupOptions(recoveryPointId, changedBlocks, labels, source, progress, retainUntil);
    }

    /** With the indexes of the 512 KiB blocks changed since the parent (needs a parent). */
    public BackupOptions withChangedBlocks(BitSet blocks) {
        return new BackupOptions(parent, blocks, labels, source, progress, retainUntil);
    }

    /** With labels. */
    public BackupOptions withLabels(Map<String, String> l) {
        return new BackupOptions(parent, changedBlocks, l, source, progress, retainUntil);
    }

    /** With a source description (retention groups recovery points by it). */
    public BackupOptions withSource(String description) {
        return new BackupOptions(parent, changedBlocks, labels, description, progress, retainUntil);
    }

    /** With a progress listener. */
    public BackupOptions withProgress(ProgressListener listener) {
        return new BackupOptions(parent, changedBlocks, labels, source, listener, retainUntil);
    }

    /** With a retention of the point's own (Object Lock stores): locked at least until {@code until}. */
    public BackupOptions withRetainUntil(Instant until) {
        return new BackupOptions(parent, changedBlocks, labels, source, progress, until);
    }
}
