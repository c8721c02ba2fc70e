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
    /** In {@code source}: the protection policy whose run made the recovery point. */
    public static final String SOURCE_POLICY_ID = "policy-id";
    /** In {@code source}: the policy's run that made the recovery point. */
    public static final String SOURCE_RUN_ID = "run-id";
    /** In {@code source}: {@code true} when the policy asks for every new recovery point to be scanned. */
    public static final String SOURCE_SCAN_REQUESTED = "scan-requested";

    private RecoveryPointLabels() {}
}
