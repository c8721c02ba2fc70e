package io.cloudconnector.backgroundjobs.restoretest;

import io.cloudconnector.backgroundjobs.recoverypoint.KnownRecoveryPoint;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.filesystems.Browsable;
import io.cloudconnector.filesystems.ByteSource;
import io.cloudconnector.filesystems.CorruptFileSystemException;
import io.cloudconnector.filesystems.Disks;
import io.cloudconnector.filesystems.FileData;
import io.cloudconnector.filesystems.Finding;
import io.cloudconnector.filesystems.Node;
import io.cloudconnector.filesystems.RecoveryPointSource;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.restore.RecoveryPointReader;
import io.cloudconnector.scalez.source.BlockSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ebs.EbsClient;

/**
 * Verifies restored snapshots against their recovery point: every 512 KiB block's SHA-256 against the point's; every
 * readable file system on them walked completely (every directory listed and compared, by entry name, type and size,
 * with the same directory in the point), a seeded sample of files read whole from both and compared; for an
 * instance, the boot volume's partition table and boot signature. Collects what is wrong as reasons (a bounded
 * number of them, then how many more).
 */
final class RestoreVerification {

    static final int BLOCK = 512 * 1024;
    private static final Logger log = LoggerFactory.getLogger(RestoreVerification.class);
    private static final int MAX_REASONS = 20;
    private static final int SAMPLED_FILES = 32;

    private final KnownRecoveryPoint point;
    private final Repository repository;
    private final EbsClient ebs;
    private final Function<String, BlockSource> snapshots;
    private final Runnable checkpoint;
    private final List<String> reasons = new ArrayList<>();
    private int unreported;

    /**
     * @param snapshots a block source of a restored snapshot (the EBS direct APIs, passing the job's checkpoint)
     */
    RestoreVerification(
            KnownRecoveryPoint point,
            Repository repository,
            EbsClient ebs,
            Function<String, BlockSource> snapshots,
            Runnable checkpoint) {
        this.point = point;
        this.repository = repository;
        this.ebs = ebs;
        this.snapshots = snapshots;
        this.checkpoint = checkpoint;
    }

    /** What is wrong with {@code restored} (one snapshot per volume of the point, in its order); empty: nothing. */
    List<String> verify(List<String> restored) {
        for (int i = 0; i < restored.size(); i++) {
            String name = point.volumes().get(i).volume().volumeId();
            compareBlocks(name, restored.get(i), start(i), length(i));
        }
        for (int i = 0; i < restored.size(); i++) {
            String name = point.volumes().get(i).volume().volumeId();
            var restoredBytes = SnapshotBytes.open(ebs, restored.get(i));
            var pointBytes = new RecoveryPointSource(() -> repository.reader(point.id())).slice(start(i), length(i));
            walkVolumes(name, restoredBytes, pointBytes);
            var instance = point.instance();
            if (instance != null && Objects.equals(point.volumes().get(i).deviceName(), instance.rootDeviceName())) {
                checkBoot(name, restoredBytes);
            }
        }
        if (unreported > 0) {
            reasons.add("… and " + unreported + " more");
        }
        return List.copyOf(reasons);
    }

    private long start(int volume) {
        return point.kind() == RecoveryPointKind.EC2
                ? point.volumes().get(volume).firstBlock() * BLOCK
                : 0;
    }

    private long length(int volume) {
        return point.kind() == RecoveryPointKind.EC2
                ? point.volumes().get(volume).sizeBytes()
                : point.logicalBytes();
    }

    private void reason(String text) {
        if (reasons.size() < MAX_REASONS) {
            reasons.add(text);
        } else {
            unreported++;
        }
    }

    /** Every block of the snapshot against the same bytes of the point (zeros past either's end). */
    private void compareBlocks(String name, String snapshotId, long start, long length) {
        var restoredBlock = new byte[BLOCK];
        var pointBlock = new byte[BLOCK];
        int mismatches = 0;
        long compared = 0;
        RecoveryPointReader reader = repository.reader(point.id());
        try (var source = snapshots.apply(snapshotId)) {
            long size = Math.max(source.size(), length);
            long blocks = (size + BLOCK - 1) / BLOCK;
            for (long index = 0; index < blocks; index++) {
                checkpoint.run();
                Arrays.fill(restoredBlock, (byte) 0);
                if (index * BLOCK < source.size()) {
                    source.readBlock(index, restoredBlock);
                }
                Arrays.fill(pointBlock, (byte) 0);
                long offset = index * BLOCK;
                if (offset < length) {
                    readFully(reader, start + offset, pointBlock, (int) Math.min(BLOCK, length - offset));
                }
                compared++;
                if (!MessageDigest.isEqual(sha256(restoredBlock), sha256(pointBlock))) {
                    mismatches++;
                    reason("block " + index + " of " + name + " (snapshot " + snapshotId + ") has SHA-256 "
                            + hex(sha256(restoredBlock)) + ", the recovery point's is " + hex(sha256(pointBlock)));
                }
            }
        }
        log.info("Compared {} blocks of {} in {}: {} differ", compared, name, snapshotId, mismatches);
    }

    private static void readFully(RecoveryPointReader reader, long position, byte[] buffer, int length) {
        int done = 0;
        while (done < length) {
            int n = reader.read(position + done, buffer, done, length - done);
            if (n <= 0) {
                return;
            }
            done += n;
        }
    }

    /** Every partition and logical volume; the readable file systems walked against the point's. */
    private void walkVolumes(String name, ByteSource restored, ByteSource original) {
        List<Finding> findings = new ArrayList<>();
        List<Disks.Volume> parts;
        try {
            parts = Disks.volumes(restored, name, findings::add);
        } catch (CorruptFileSystemException e) {
            reason("the partition table of " + name + " cannot be read: " + e.getMessage());
            return;
        }
        for (var part : parts) {
            String partName = "none".equals(part.scheme()) ? name : part.name();
            Disks.Content content;
            Disks.Content pointContent;
            try {
                content = Disks.open(restored.slice(part.offset(), part.length()), partName);
                pointContent = Disks.open(original.slice(part.offset(), part.length()), partName);
            } catch (CorruptFileSystemException e) {
                reason(partName + " cannot be opened: " + e.getMessage());
                continue;
            }
            walkContent(partName, content, pointContent);
            if (content instanceof Disks.PhysicalVolume pv && pointContent instanceof Disks.PhysicalVolume ppv) {
                Map<String, Disks.Content> pointLvs = new LinkedHashMap<>();
                ppv.logicalVolumes().forEach(lv -> pointLvs.put(lv.name(), lv.content()));
                for (var lv : pv.logicalVolumes()) {
                    var pointLv = pointLvs.get(lv.name());
                    if (pointLv == null) {
                        reason("logical volume " + lv.name() + " is not in the recovery point");
                    } else {
                        walkContent(lv.name(), lv.content(), pointLv);
                    }
                }
            }
        }
    }

    private void walkContent(String name, Disks.Content content, Disks.Content pointContent) {
        if (content instanceof Disks.Readable(var fs) && fs instanceof Browsable browsable) {
            if (pointContent instanceof Disks.Readable(var pfs) && pfs instanceof Browsable pointBrowsable) {
                walk(name, browsable, pointBrowsable);
            } else {
                reason(name + " holds a readable " + fs.type() + " file system; the recovery point's does not");
            }
        }
    }

    private record Pair(Node restored, Node original) {}

    /** Lists every directory of both, breadth first, comparing entries; then reads and compares sampled files. */
    private void walk(String name, Browsable restored, Browsable original) {
        var random = new Random(point.id().hashCode());
        List<Pair> sample = new ArrayList<>();
        int directories = 0;
        long files = 0;
        var queue = new ArrayDeque<Pair>();
        queue.add(new Pair(restored.root(), original.root()));
        try {
            while (!queue.isEmpty()) {
                checkpoint.run();
                var dir = queue.poll();
                directories++;
                Map<String, Node> expected = new LinkedHashMap<>();
                original.list(dir.original()).forEach(n -> expected.put(n.name(), n));
                for (var node : restored.list(dir.restored())) {
                    var match = expected.remove(node.name());
                    if (match == null) {
                        reason(name + ":" + node.path() + " is not in the recovery point");
                        continue;
                    }
                    if (match.type() != node.type() || match.size() != node.size()) {
                        reason(name + ":" + node.path() + " is a " + describe(node) + ", in the recovery point a "
                                + describe(match));
                        continue;
                    }
                    if (node.directory()) {
                        queue.add(new Pair(node, match));
                    } else if (node.type() == Node.Type.FILE) {
                        files++;
                        // Reservoir sampling: each file equally likely to be read, whatever the tree's size.
                        if (sample.size() < SAMPLED_FILES) {
                            sample.add(new Pair(node, match));
                        } else {
                            long slot = random.nextLong(files);
                            if (slot < SAMPLED_FILES) {
                                sample.set((int) slot, new Pair(node, match));
                            }
                        }
                    }
                }
                expected.values().forEach(missing -> reason(name + ":" + missing.path() + " is missing"));
            }
            for (var file : sample) {
                checkpoint.run();
                var got = digest(restored.content(file.restored()));
                var want = digest(original.content(file.original()));
                if (!MessageDigest.isEqual(got, want)) {
                    reason(name + ":" + file.restored().path() + " reads differently from the recovery point");
                }
            }
        } catch (CorruptFileSystemException e) {
            reason("the " + name + " file system cannot be walked: " + e.getMessage());
        }
        log.info("Walked {}: {} directories, {} files, {} read", name, directories, files, sample.size());
    }

    private static String describe(Node node) {
        return node.type().name().toLowerCase(java.util.Locale.ROOT) + " of " + node.size() + " bytes";
    }

    /** An instance's boot volume: a partition table that reads, and the boot signature at byte 510. */
    private void checkBoot(String name, ByteSource restored) {
        byte[] sector = restored.size() >= 512 ? restored.readFully(0, 512) : new byte[512];
        if ((sector[510] & 0xff) != 0x55 || (sector[511] & 0xff) != 0xaa) {
            reason("the boot volume " + name + " has no boot signature (55 AA at byte 510)");
        }
        List<Finding> findings = new ArrayList<>();
        try {
            var parts = Disks.volumes(restored, name, findings::add);
            if (parts.isEmpty() || parts.stream().allMatch(p -> "none".equals(p.scheme()))) {
                reason("the boot volume " + name + " has no partition table");
            }
            findings.stream()
                    .filter(f -> f.severity() == Finding.Severity.ERROR)
                    .forEach(f -> reason("the boot volume's partition table: " + f.message()));
        } catch (CorruptFileSystemException e) {
            reason("the boot volume's partition table cannot be read: " + e.getMessage());
        }
    }

    private static byte[] digest(FileData data) {
        var sha = sha();
        var buffer = new byte[64 * 1024];
        long position = 0;
        while (position < data.size()) {
            int n = data.read(position, buffer, 0, buffer.length);
            if (n <= 0) {
                break;
            }
            sha.update(buffer, 0, n);
            position += n;
        }
        return sha.digest();
    }

    private static byte[] sha256(byte[] data) {
        return sha().digest(data);
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte @Nullable [] digest) {
        return digest == null ? "" : HexFormat.of().formatHex(digest, 0, 8);
    }
}
