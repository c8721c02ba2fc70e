package io.cloudconnector.scalez.remote;

import io.cloudconnector.scalez.hash.ObjectId;
import java.util.List;
import java.util.Set;

/**
 * One backup's conversation with a {@link RemoteWriter}. Thread-safe: a backup's worker threads call it at
 * once. Every call either succeeds, throws {@link RemoteWriterUnavailableException} (the writer is going away
 * or gone: call {@link #handOff}), or throws {@link RemoteWriterException} (the backup cannot trust what it sent).
 */
public interface RemoteSession extends AutoCloseable {

    /** Of {@code ids}, those the writer neither stores nor holds in a pack it is filling: the ones to send. */
    Set<ObjectId> missing(List<ObjectId> ids);

    /** Hands sealed blobs over; returns the sealed bytes the writer stored (duplicates of blobs it holds count 0). */
    long store(List<SealedBlob> blobs);

    /**
     * Makes everything the writer received durable and indexed, keeping the session open: a backup calls it when
     * its data is all sent, before it reads the repository's index files to record what its point needs.
     */
    void flush();

    /**
     * Asks the writer to make everything it received durable and indexed (a draining writer does so anyway) and
     * ends the session; the backup then goes on by itself. Never throws: a writer that is gone cannot answer, and
     * the backup checks the repository's index files instead.
     */
    void handOff();

    /**
     * Makes everything the session relied on durable and indexed, then stores the sealed manifest of recovery
     * point {@code recoveryPointId} create-only (a retry of the same manifest succeeds), and ends the session.
     */
    void commit(String recoveryPointId, byte[] sealedManifest);

    /** Ends the session; what it sent stays and is indexed at the writer's next flush. */
    @Override
    void close();
}
