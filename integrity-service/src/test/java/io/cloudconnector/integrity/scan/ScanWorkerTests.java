package io.cloudconnector.integrity.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.ScanVerdict;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A worker's report must fit one EventBridge entry whatever the recovery point held. */
class ScanWorkerTests {

    @Test
    void aHugeReportIsShortenedToFitAnEventAndSaysSo() {
        String longPath = String.join("/", Collections.nCopies(200, "directory"));
        var detections = IntStream.range(0, 50)
                .mapToObj(i -> new ScanReport.Detection(longPath + i, "clamav", "Sig" + i))
                .toList();
        var worst = IntStream.range(0, 50)
                .mapToObj(i -> new ScanReport.SuspiciousFile(longPath + i, 1, 8.0, List.of("near-random")))
                .toList();
        var report = new ScanReport(
                ScanVerdict.INFECTED,
                List.of("50 malware detections"),
                new ScanReport.Counts(1, 100, 1, 0, 0, 0, 0, 0, 0, 0, 50),
                List.of(),
                detections,
                worst,
                List.of(),
                new ScanReport.Engines("c", false, List.of(), "y", List.of()),
                null,
                false);
        var json = EventCodec.standardMapper();
        assertThat(json.writeValueAsBytes(report).length).isGreaterThan(ScanWorker.MAX_REPORT_BYTES);

        var fitted = ScanWorker.fit(report, ScanWorker.MAX_REPORT_BYTES);

        assertThat(json.writeValueAsBytes(fitted).length).isLessThanOrEqualTo(ScanWorker.MAX_REPORT_BYTES);
        assertThat(fitted.truncated()).isTrue();
        assertThat(fitted.detections()).isNotEmpty().isSubsetOf(detections);
        assertThat(fitted.counts().detections()).isEqualTo(50);
        assertThat(ScanWorker.fit(fitted, ScanWorker.MAX_REPORT_BYTES)).isEqualTo(fitted);
    }
}
