package io.cloudconnector.scalez.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.EmulatorClients;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockRetentionMode;

/**
 * The packaged CLI against a bucket with Object Lock and a default governance retention, as a new user would try it:
 * init, backup and restore work; forgetting a locked point is refused naming its lock end; lock, legal-hold and
 * maintain do what they say.
 */
@WithAwsEmulator
class ObjectLockCliIT {

    private static final Pattern RP = Pattern.compile("\"recoveryPointId\":\"(rp-[0-9A-Z]{26})\"");

    @TempDir
    Path dir;

    @Test
    void aLockedBucketIsInitialisedBackedUpRestoredAndItsLockedPointsAreKept(AwsEmulator emulator) throws Exception {
        try (var s3 = EmulatorClients.s3(emulator)) {
            s3.createBucket(r -> r.bucket("cli-locked").objectLockEnabledForBucket(true));
            s3.putObjectLockConfiguration(r -> r.bucket("cli-locked")
                    .objectLockConfiguration(c -> c.objectLockEnabled(ObjectLockEnabled.ENABLED)
                            .rule(rule -> rule.defaultRetention(d ->
                                    d.mode(ObjectLockRetentionMode.GOVERNANCE).days(1)))));
        }
        var cli = new Cli(Map.of(
                "AWS_ENDPOINT_URL", emulator.endpoint().toString(),
                "AWS_REGION", emulator.region(),
                "AWS_ACCESS_KEY_ID", emulator.accessKeyId(),
                "AWS_SECRET_ACCESS_KEY", emulator.secretAccessKey(),
                "SCALEZ_PASSWORD", "locked cli"));
        var repo = "s3://cli-locked/repo";
        var init = cli.run(dir, "init", "--repo", repo);
        assertThat(init.exitCode()).as(init.stderr()).isZero();

        var image = new byte[3 * 512 * 1024 + 77];
        new Random(9).nextBytes(image);
        Files.write(dir.resolve("disk.img"), image);
        var backup = cli.run(dir, "backup", "--repo", repo, "--json", "--block", "disk.img");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        var matcher = RP.matcher(backup.stdout());
        assertThat(matcher.find()).isTrue();
        var rp = matcher.group(1);
        var restore = cli.run(dir, "restore", "--repo", repo, rp, "--target", "back.img");
        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("back.img"))).isEqualTo(image);

        var forget = cli.run(dir, "forget", "--repo", repo, rp);
        assertThat(forget.exitCode()).isEqualTo(1);
        assertThat(forget.stderr()).startsWith("scalez: Recovery point " + rp + " is locked until ");

        var lock = cli.run(dir, "lock", "--repo", repo, rp);
        assertThat(lock.exitCode()).as(lock.stderr()).isZero();
        assertThat(lock.stdout()).contains(rp + " lockedUntil=").contains("mode=governance legalHold=off");

        var soon = Instant.now()
                .plus(Duration.ofHours(1))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
        var shorten = cli.run(dir, "lock", "--repo", repo, rp, "--until", soon);
        assertThat(shorten.exitCode()).isEqualTo(1);
        assertThat(shorten.stderr()).contains("needs bypassGovernance");
        var bypass = cli.run(dir, "lock", "--repo", repo, rp, "--until", soon, "--bypass-governance");
        assertThat(bypass.exitCode()).as(bypass.stderr()).isZero();
        assertThat(bypass.stdout()).contains("lockedUntil=" + soon);

        var hold = cli.run(dir, "legal-hold", "--repo", repo, rp, "on");
        assertThat(hold.exitCode()).as(hold.stderr()).isZero();
        assertThat(hold.stdout()).contains("legalHold=on");

        var maintain = cli.run(dir, "maintain", "--repo", repo, "--forget", rp, "--json");
        assertThat(maintain.exitCode()).as(maintain.stderr()).isZero();
        assertThat(maintain.stdout())
                .contains("\"recoveryPointsForgotten\":0")
                .contains("\"recoveryPointsKeptLocked\":[\"" + rp + "\"]")
                .contains("\"damage\":[]");
        var check = cli.run(dir, "check", "--repo", repo);
        assertThat(check.exitCode()).as(check.stdout() + check.stderr()).isZero();
    }
}
