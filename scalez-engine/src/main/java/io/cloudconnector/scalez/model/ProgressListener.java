package io.cloudconnector.scalez.model;

/** Told how far an operation has come; called often from one thread, so implementations throttle themselves. */
@FunctionalInterface
public interface ProgressListener {

    /** Ignores progress. */
    ProgressListener NONE = (done, total) -> {};

    /** {@code bytesDone} of {@code bytesTotal} processed; {@code bytesTotal} is -1 when unknown (a stream). */
    void progressed(long bytesDone, long bytesTotal);
}
