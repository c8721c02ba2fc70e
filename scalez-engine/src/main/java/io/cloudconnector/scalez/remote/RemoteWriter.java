package io.cloudconnector.scalez.remote;

import java.util.Optional;

/**
 * A writer outside this process that a backup can hand its sealed blobs to instead of writing packs itself:
 * a ScaleZ server, the single writer of a vault's repository and owner of its dedup index, shared by every
 * backup of the vault so that concurrent backups dedup against each other.
 */
public interface RemoteWriter {

    /**
     * Opens a session for one backup of repository {@code repositoryId}; empty when no writer answers (or the
     * one that answers serves another repository), and the backup then writes its packs itself.
     */
    Optional<RemoteSession> open(String repositoryId, String purpose);
}
