package io.cloudconnector.filesystems;

/** Metadata on the volume contradicts itself or points outside it; the scan records it as a finding. */
public class CorruptFileSystemException extends RuntimeException {

    public CorruptFileSystemException(String message) {
        super(message);
    }
}
