package io.cloudconnector.common.event;

/**
 * The labels a backup writes into a recovery point's ScaleZ manifest, so that the catalog can be rebuilt
 * from the vault bucket alone (the bucket is the source of truth, the catalog table an index).
 */
public final class RecoveryPointLabels {

    /** The protected asset, {@code aws:ebs:…} or {@code aws:ec2:…}. */
    public static final String ASSET_ID = "cc.asset-id";
    /** {@code ebs} or {@code ec2}. */
    public static final String KIND = "cc.kind";
    /** The backup job that wrote it. */
    public static final String JOB_ID = "cc.job-id";
    /** Prefix of the source metadata (snapshot id, volume id, instance id and type, ...). */
    public static final String SOURCE_PREFIX = "cc.source.";

    private RecoveryPointLabels() {}
}
