package io.cloudconnector.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How far a running job has come. Workers publish at most one a second; {@code sequence} grows with
 * every report so that a late or duplicated one never moves a job backwards. {@code bytesDone} of
 * {@code bytesTotal} count {@code unit} ({@link ProgressUnits}; bytes when absent, as older producers
 * send it); {@code secondary} is a second counter some jobs keep (a scan: files as well as bytes). {@code phases}
 * are the phases the job's run finished so far, with their durations, in the order they began (empty: none
 * reported, as from older producers); each report carries them all, so a lost report loses none.
 */
public record JobProgressed(
        String jobId,
        long sequence,
        long bytesDone,
        long bytesTotal,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String unit,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable JobCounter secondary,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<JobPhaseTiming> phases)
        implements ConnectorEvent {

    public JobProgressed {
        // Absent in the reports of older producers.
        phases = phases == null ? List.of() : List.copyOf(phases);
    }

    /** A report without phases. */
    public JobProgressed(
            String jobId,
            long sequence,
            long bytesDone,
            long bytesTotal,
            @Nullable String unit,
            @Nullable JobCounter secondary) {
        this(jobId, sequence, bytesDone, bytesTotal, unit, secondary, List.of());
    }

    /** A report that counts bytes. */
    public JobProgressed(String jobId, long sequence, long bytesDone, long bytesTotal) {
        this(jobId, sequence, bytesDone, bytesTotal, null, null, List.of());
    }
}
