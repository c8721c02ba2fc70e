package io.cloudconnector.backgroundjobs.ebs;

import io.cloudconnector.common.event.RecoveryPointKind;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A protected asset: {@code aws:ebs:<account>:<region>:vol-…} or {@code aws:ec2:<account>:<region>:i-…}.
 *
 * @param kind EBS volume or EC2 instance (the kind of recovery point it makes)
 */
public record AssetId(RecoveryPointKind kind, String account, String region, String resourceId) {

    private static final Pattern FULL =
            Pattern.compile("aws:(ebs|ec2):(\\d{12}):([a-z]{2}(?:-[a-z]+)+-\\d):((vol|i)-[0-9a-f]{8,17})");
    private static final Pattern BARE = Pattern.compile("(vol|i)-[0-9a-f]{8,17}");

    /**
     * Parses a full asset id, or a bare {@code vol-…}/{@code i-…} that is taken to be in {@code account} and
     * {@code region} (the connector's).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static AssetId parse(String text, String account, String region) {
        var bare = BARE.matcher(text);
        if (bare.matches()) {
            return new AssetId(kindOf(bare.group(1)), account, region, text);
        }
        var full = FULL.matcher(text);
        if (!full.matches()) {
            throw new IllegalArgumentException(
                    "must be aws:ebs:<account>:<region>:vol-…, aws:ec2:<account>:<region>:i-…, " + "vol-… or i-…");
        }
        var kind = full.group(1).equals("ebs") ? RecoveryPointKind.EBS : RecoveryPointKind.EC2;
        if (kindOf(full.group(5)) != kind) {
            throw new IllegalArgumentException("an " + full.group(1) + " asset id must name "
                    + (kind == RecoveryPointKind.EBS ? "a volume (vol-…)" : "an instance (i-…)"));
        }
        return new AssetId(kind, full.group(2), full.group(3), full.group(4));
    }

    private static RecoveryPointKind kindOf(String prefix) {
        return prefix.equals("vol") ? RecoveryPointKind.EBS : RecoveryPointKind.EC2;
    }

    /** The canonical form, {@code aws:ebs:123456789012:us-east-1:vol-0abc…}. */
    public String canonical() {
        return "aws:" + kind.name().toLowerCase(Locale.ROOT) + ":" + account + ":" + region + ":" + resourceId;
    }

    @Override
    public String toString() {
        return canonical();
    }
}
