package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * How far a running job has come. Workers publish at most one a second; {@code sequence} grows with
 * every report so that a late or duplicated one never moves a job backwards. {@code bytesDone} of
 * {@code bytesTotal} count {@code unit} ({@link ProgressUnits}; bytes when absent, as older producers
 * send it); {@code secondary} is a second counter some jobs keep (a scan: files as well as bytes).
 */
public record JobProgressed(
        String jobId,
        long sequence,
        long bytesDone,
        long bytesTotal,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String unit,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable JobCounter secondary)
        implements ConnectorEvent {

    /** A report that counts bytes. */
    public JobProgressed(String jobId, long sequence, long bytesDone, long bytesTotal) {
        this(jobId, sequence, bytesDone, bytesTotal, null, null);
    }
}
