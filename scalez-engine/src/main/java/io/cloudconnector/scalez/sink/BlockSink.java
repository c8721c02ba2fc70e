package io.cloudconnector.scalez.sink;

/**
 * Where a block recovery point is restored: an image file, a device, or (later) a new EBS snapshot via
 * PutSnapshotBlock. Blocks arrive in any order from several threads.
 */
public interface BlockSink extends AutoCloseable {

    /** Called once before any block with the device size in bytes. */
    void start(long size);

    /**
     * Writes {@code length} bytes of {@code data} as block {@code index} (512 KiB blocks). The caller reuses
     * {@code data} once this returns: a sink that writes later keeps a copy.
     */
    void writeBlock(long index, byte[] data, int length);

    /** Block {@code index} is all zeros; a sink that already reads zeros there writes nothing. */
    void zeroBlock(long index, int length);

    /** Makes everything written durable. */
    void finish();

    @Override
    default void close() {}
}
