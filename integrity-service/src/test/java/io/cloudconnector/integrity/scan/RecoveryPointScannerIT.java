package io.cloudconnector.integrity.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.ScanVerdict;
import io.cloudconnector.filesystems.DiskImages;
import io.cloudconnector.filesystems.LvmImages;
import io.cloudconnector.scalez.repo.Repository;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole scans of real images (ext4, NTFS, XFS) backed up into a ScaleZ repository and read back through the engine's
 * random-access reads, with the real clamd and yara.
 */
class RecoveryPointScannerIT {

    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";
    static final String ASSET = "aws:ebs:123456789012:us-east-1:vol-0123456789abcdef0";

    @TempDir
    static Path dir;

    static Repository repository;
    static Path documents;

    @BeforeAll
    static void setUp() {
        repository = TestRepositories.create(dir.resolve("repo"));
        documents = dir.resolve("docs");
        var random = new Random(1);
        for (int i = 0; i < 12; i++) {
            var text = new StringBuilder();
            for (int line = 0; line < 400; line++) {
                text.append("Quarterly figures for region ")
                        .append(i)
                        .append(", line ")
                        .append(line)
                        .append(": revenue ")
                        .append(random.nextInt(100_000))
                        .append('\n');
            }
            DiskImages.write(
                    documents,
                    "home/finance/report-" + i + ".txt",
                    text.toString().getBytes(StandardCharsets.UTF_8));
        }
        var photo = new byte[200_000];
        random.nextBytes(photo);
        photo[0] = (byte) 0xFF;
        photo[1] = (byte) 0xD8;
        photo[2] = (byte) 0xFF;
        DiskImages.write(documents, "home/finance/team.jpg", photo);
        DiskImages.write(documents, "etc/motd", "welcome\n".getBytes(StandardCharsets.UTF_8));
    }

    private ScanReport scan(String recoveryPointId, String previous) {
        var total = new AtomicLong(-1);
        var done = new AtomicLong();
        var report = new RecoveryPointScanner(TestRepositories.settings(dir.resolve("work")))
                .scan(
                        repository,
                        recoveryPointId,
                        previous == null ? null : repository,
                        previous,
                        new RecoveryPointScanner.Progress() {
                            @Override
                            public void total(long bytes) {
                                total.set(bytes);
                            }

                            @Override
                            public void done(long bytes) {
                                // Threads report their running totals concurrently: the last call is not always the
                                // largest total.
                                done.accumulateAndGet(bytes, Math::max);
                            }
                        },
                        () -> false);
        assertThat(done.get()).isEqualTo(total.get()).isEqualTo(report.counts().bytesScanned());
        return report;
    }

    @Test
    void aCleanImageIsClean() {
        var rp =
                TestRepositories.backup(repository, DiskImages.ext4(documents, dir.resolve("clean.img"), "32M"), ASSET);

        var report = scan(rp, null);

        assertThat(report.verdict()).isEqualTo(ScanVerdict.CLEAN);
        assertThat(report.counts().files()).isEqualTo(14);
        assertThat(report.detections()).isEmpty();
        assertThat(report.volumes())
                .singleElement()
                .satisfies(v -> assertThat(v.content()).isEqualTo("ext4"));
        assertThat(report.engines().clamavDatabases())
                .contains("cloudconnector.ndb", "cloudconnector.hdb", "cloudconnector.ldb");
        assertThat(report.engines().yaraRules()).contains("cloudconnector.yar");
        if (!report.engines().officialClamavDatabase()) {
            // No network here for freshclam: the report must say what the clean verdict rests on.
            assertThat(report.findings())
                    .anySatisfy(f -> assertThat(f.location() + ": " + f.message())
                            .startsWith("clamav: signatures: only the connector's built-in test signatures were "
                                    + "loaded"));
            assertThat(report.reasons())
                    .anySatisfy(r -> assertThat(r)
                            .endsWith(
                                    "accepted because connector.integrity.signatures.accept-built-in is set (local stack and "
                                            + "tests only)"));
            assertThat(report.engines().signatures()).isNotNull();
        }
    }

    @Test
    void everyTestSignatureOfBothEnginesIsFoundAndNamesItsFile() {
        var tree = dir.resolve("infected");
        DiskImages.write(tree, "home/finance/report.txt", "nothing to see".getBytes(StandardCharsets.UTF_8));
        DiskImages.write(tree, "tmp/eicar.com", EICAR.getBytes(StandardCharsets.US_ASCII));
        DiskImages.write(
                tree,
                "opt/app/marker.bin",
                ("padding CLOUDCONNECTOR-SCANNER-TEST-SIGNATURE-4d1f padding").getBytes(StandardCharsets.US_ASCII));
        DiskImages.write(
                tree,
                "opt/app/payload.dat",
                "cloudconnector hash-signature test payload\n".getBytes(StandardCharsets.US_ASCII));
        DiskImages.write(
                tree,
                "opt/app/dropper.sh",
                "echo cc-dropper-stage-1; sleep 1; echo cc-dropper-stage-2".getBytes(StandardCharsets.US_ASCII));
        DiskImages.write(
                tree,
                "var/www/upload.php",
                "<?php @eval(base64_decode($_POST['c'])); ?>".getBytes(StandardCharsets.US_ASCII));
        DiskImages.write(
                tree,
                "opt/app/implant.cfg",
                "id=cc-yara-test-implant\nbeacon-interval=60\n".getBytes(StandardCharsets.US_ASCII));
        var rp = TestRepositories.backup(repository, DiskImages.ext4(tree, dir.resolve("infected.img"), "32M"), ASSET);

        var report = scan(rp, null);

        assertThat(report.verdict()).isEqualTo(ScanVerdict.INFECTED);
        assertThat(report.detections())
                .extracting(d -> d.engine() + " " + d.path() + " " + d.signature())
                .containsExactlyInAnyOrder(
                        "clamav tmp/eicar.com CloudConnector.Test.EICAR.UNOFFICIAL",
                        "clamav opt/app/marker.bin CloudConnector.Test.Marker.UNOFFICIAL",
                        "clamav opt/app/payload.dat CloudConnector.Test.HashPayload.UNOFFICIAL",
                        "clamav opt/app/dropper.sh CloudConnector.Test.Dropper.UNOFFICIAL",
                        "yara tmp/eicar.com CloudConnector_EICAR",
                        "yara var/www/upload.php Webshell_PHP_Eval_Request",
                        "yara opt/app/implant.cfg CloudConnector_Test_Implant");
        assertThat(report.reasons().getFirst()).startsWith("7 malware detections");
    }

    @Test
    void documentsEncryptedInPlaceAfterACleanRecoveryPointAreRansomware() throws Exception {
        var before = TestRepositories.backup(
                repository, DiskImages.ext4(documents, dir.resolve("before.img"), "32M"), ASSET);
        var attacked = dir.resolve("attacked");
        var cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new IvParameterSpec(new byte[16]));
        try (var files = java.nio.file.Files.walk(documents)) {
            for (var file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                var bytes = java.nio.file.Files.readAllBytes(file);
                var relative = documents.relativize(file).toString();
                var copy =
                        DiskImages.write(attacked, relative, relative.endsWith(".txt") ? cipher.doFinal(bytes) : bytes);
                if (!relative.endsWith(".txt")) {
                    // Untouched files keep their time, as they would on the attacked volume.
                    java.nio.file.Files.setLastModifiedTime(copy, java.nio.file.Files.getLastModifiedTime(file));
                }
            }
        }
        DiskImages.write(attacked, "home/finance/HOW_TO_DECRYPT.txt", """
                All your files are encrypted. To get the decryptor, send 0.5 bitcoin to the address below
                and write to us through the Tor browser.""".getBytes(StandardCharsets.UTF_8));
        var after =
                TestRepositories.backup(repository, DiskImages.ext4(attacked, dir.resolve("after.img"), "32M"), ASSET);

        var report = scan(after, before);

        assertThat(report.verdict()).isEqualTo(ScanVerdict.SUSPICIOUS);
        assertThat(report.comparison()).isNotNull().satisfies(c -> {
            assertThat(c.previousRecoveryPointId()).isEqualTo(before);
            assertThat(c.changedToEncrypted()).isEqualTo(12);
            assertThat(c.changedFiles()).isEqualTo(12);
            assertThat(c.filesInBoth()).isEqualTo(14);
        });
        assertThat(report.reasons())
                .anySatisfy(r -> assertThat(r)
                        .startsWith("ransomware: 12 of 12 files changed since " + before
                                + " went from plain to near-random"));
        assertThat(report.reasons())
                .anySatisfy(r -> assertThat(r).contains("1 ransom note (/home/finance/HOW_TO_DECRYPT.txt)"));
        assertThat(report.worstFiles())
                .first()
                .satisfies(f -> assertThat(f.path()).startsWith("home/finance/report-"));
        assertThat(report.detections()).isEmpty();
    }

    @Test
    void aCorruptedSuperblockIsReported() {
        var image = DiskImages.ext4(documents, dir.resolve("corrupt.img"), "32M");
        DiskImages.overwrite(image, 1024 + 12, new byte[] {0x7f, 0x7f});
        var rp = TestRepositories.backup(repository, image, ASSET);

        var report = scan(rp, null);

        assertThat(report.verdict()).isEqualTo(ScanVerdict.SUSPICIOUS);
        assertThat(report.reasons())
                .anySatisfy(
                        r -> assertThat(r)
                                .startsWith(
                                        "file-system damage: disk0: primary superblock is damaged (checksum mismatch); read with the backup"));
        assertThat(report.counts().files()).isEqualTo(14);
    }

    @Test
    void aPartitionedDiskIsFollowedAndAnUnreadablePartitionIsReportedAsSuch() {
        long mib = 1 << 20;
        var disk = dir.resolve("disk.img");
        DiskImages.sparse(disk, 100 * mib);
        DiskImages.partition(disk, """
                label: gpt
                start=1MiB, size=32MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4
                start=34MiB, size=32MiB, type=EBD0A0A2-B9E5-4433-87C0-68B6B72699C7
                start=67MiB, size=32MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4
                """);
        DiskImages.place(DiskImages.ext4(documents, dir.resolve("p1.img"), "32M"), disk, mib);
        var eicar = DiskImages.write(dir.resolve("win"), "eicar.com", EICAR.getBytes(StandardCharsets.US_ASCII));
        DiskImages.place(DiskImages.ntfs(dir.resolve("p2.img"), 32 * mib, Map.of("eicar.com", eicar)), disk, 34 * mib);
        DiskImages.overwrite(disk, 80 * mib, "not a file system".getBytes(StandardCharsets.US_ASCII));
        var rp = TestRepositories.backup(repository, disk, ASSET);

        var report = scan(rp, null);

        assertThat(report.volumes())
                .extracting(v -> v.name() + " " + v.scheme() + " " + v.content() + " " + v.files())
                .containsExactly("disk0 p1 gpt ext4 14", "disk0 p2 gpt ntfs 1", "disk0 p3 gpt unrecognised 0");
        assertThat(report.verdict()).isEqualTo(ScanVerdict.INFECTED);
        assertThat(report.detections())
                .extracting(d -> d.engine() + " " + d.path())
                .containsExactlyInAnyOrder("clamav eicar.com", "yara eicar.com");
        assertThat(report.reasons()).contains("not scanned: disk0 p3 (unrecognised)");
        assertThat(report.findings())
                .anySatisfy(f -> assertThat(f.location() + ": " + f.message())
                        .isEqualTo("disk0 p3: holds data but no readable file system: no file system recognised"));
    }

    @Test
    void aLogicalVolumeIsScannedAndAnEncryptedPartitionKeepsTheVerdictFromClean() {
        long mib = LvmImages.MIB;
        var disk = dir.resolve("lvm-luks.img");
        DiskImages.sparse(disk, 100 * mib);
        DiskImages.partition(disk, """
                label: gpt
                start=1MiB, size=64MiB, type=E6D6D379-F507-44C2-A23C-238F2A3DF928
                start=66MiB, size=32MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4
                """);
        var root = new LvmImages.Segment(0, 8, 2);
        LvmImages.physicalVolume(disk, mib, 64 * mib, "vg0", List.of(LvmImages.linear("root", root)));
        LvmImages.placeExtents(DiskImages.ext4(documents, dir.resolve("lv.img"), "32M"), disk, mib, root);
        DiskImages.overwrite(disk, 66 * mib, LvmImages.luks2Header());
        var rp = TestRepositories.backup(repository, disk, ASSET);

        var report = scan(rp, null);

        assertThat(report.volumes())
                .extracting(v ->
                        v.name() + " " + v.scheme() + " " + v.partitionType() + " " + v.content() + " " + v.files())
                .containsExactly(
                        "disk0 p1 gpt linux-lvm lvm2 physical volume pv0 of vg0 (1 logical volume here) 0",
                        "disk0 p1 vg0/root lvm2 linear ext4 14",
                        "disk0 p2 gpt linux-data encrypted-volume: luks2 0");
        assertThat(report.volumes().get(1).offset()).isEqualTo(mib + LvmImages.PE_START + 2 * LvmImages.EXTENT);
        assertThat(report.counts().files()).isEqualTo(14);
        assertThat(report.verdict()).isEqualTo(ScanVerdict.UNREADABLE);
        assertThat(report.reasons()).containsExactly("encrypted, not scanned without the key: disk0 p2 (luks2)");
    }

    @Test
    void anXfsVolumeIsScannedLikeAnyOther() {
        var tree = dir.resolve("xfs-tree");
        DiskImages.write(tree, "home/finance/report.txt", "nothing to see".getBytes(StandardCharsets.UTF_8));
        DiskImages.write(tree, "tmp/eicar.com", EICAR.getBytes(StandardCharsets.US_ASCII));
        var rp = TestRepositories.backup(repository, DiskImages.xfs(tree, dir.resolve("xfs.img"), "32M"), ASSET);

        var report = scan(rp, null);

        assertThat(report.volumes())
                .extracting(v -> v.name() + " " + v.content() + " " + v.files())
                .containsExactly("disk0 xfs 2");
        assertThat(report.verdict()).isEqualTo(ScanVerdict.INFECTED);
        assertThat(report.detections())
                .extracting(d -> d.engine() + " " + d.path())
                .containsExactlyInAnyOrder("clamav tmp/eicar.com", "yara tmp/eicar.com");
    }

    @Test
    void aDiskNobodyCanReadIsUnreadable() {
        var disk = dir.resolve("noise.img");
        var noise = new byte[4 << 20];
        new Random(3).nextBytes(noise);
        DiskImages.write(dir, "noise.img", noise);
        var rp = TestRepositories.backup(repository, disk, ASSET);

        var report = scan(rp, null);

        assertThat(report.verdict()).isEqualTo(ScanVerdict.UNREADABLE);
        assertThat(report.reasons()).containsExactly("not scanned: disk0 (unrecognised)");
        assertThat(List.of(report.counts().files())).containsExactly(0L);
    }
}
