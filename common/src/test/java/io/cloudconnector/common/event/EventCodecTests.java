package io.cloudconnector.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTests {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T10:15:30Z"), ZoneOffset.UTC);
    private final EventCodec codec = EventCodec.standard();

    static Stream<ConnectorEvent> oneOfEachEvent() {
        return Stream.of(
                new VaultCreated("vlt-1", "prod", "us-east-1", "cc-vlt-1", "arn:aws:kms:us-east-1:1:key/k"),
                new VaultFailed("vlt-1", "prod", "subnet vanished"),
                new VaultDeleted("vlt-1"),
                new VaultPruned("vlt-1", "j-7", 1L << 30, 1L << 20),
                new VaultPruned("vlt-1", "j-8", 1L << 30, 0, List.of("packs/ab/abcd: does not decrypt")),
                new VaultMaintenanceRequested("vlt-1", "j-9"),
                new RecoveryPointCreated(
                        "rp-1",
                        "vlt-1",
                        "aws:ebs:123456789012:us-east-1:vol-1",
                        RecoveryPointKind.EBS,
                        Instant.parse("2026-11-26T10:00:00Z"),
                        null,
                        1L << 30,
                        1 << 20,
                        "j-1",
                        Map.of("snapshotId", "snap-1")),
                new RecoveryPointDeleted("rp-1", "vlt-1", "aws:ebs:1:us-east-1:vol-1", 42),
                new RecoveryPointExpired("rp-1", "vlt-1", "aws:ebs:1:us-east-1:vol-1"),
                new PolicyTick("pol-1", Instant.parse("2026-12-07T03:00:00Z")),
                new PolicyChanged(
                        "pol-1",
                        2,
                        "nightly",
                        "vlt-1",
                        1440,
                        false,
                        null,
                        true,
                        List.of("aws:ebs:1:us-east-1:vol-1"),
                        Map.of("backup", "nightly"),
                        List.of("ebs"),
                        new PolicyChanged.Retention(7, 0, 14, 0, 0, 1)),
                new PolicyDeleted("pol-1", 3),
                new ProtectionStatusChanged(
                        "aws:ebs:1:us-east-1:vol-1", "protected", "at-risk", List.of("pol-1"), List.of("stale")),
                new RecoveryPointScanned("rp-1", "vlt-1", "aws:ebs:1:us-east-1:vol-1", ScanVerdict.INFECTED, "r-1"),
                new RecoveryPointRestoreTested(
                        "rp-1",
                        "vlt-1",
                        "aws:ebs:1:us-east-1:vol-1",
                        "j-3",
                        false,
                        Instant.parse("2026-12-07T14:00:00Z"),
                        12.5,
                        List.of("block 7 of vol-1 differs from the recovery point")),
                new ScanReported(
                        "j-2",
                        "r-1",
                        "rp-1",
                        "vlt-1",
                        "aws:ebs:1:us-east-1:vol-1",
                        ScanVerdict.SUSPICIOUS,
                        Map.of("verdict", "suspicious", "reasons", List.of("12 documents were encrypted"))),
                new JobCreated("j-1", JobKind.EBS_BACKUP, "vlt-1", "aws:ebs:1:us-east-1:vol-1", null),
                new JobProvisioning("j-1"),
                new JobStarted("j-1", 1024L),
                new JobProgressed("j-1", 7, 512, 1024),
                new JobCreated("j-2", JobKind.SCAN, "vlt-1", "aws:ebs:1:us-east-1:vol-1", "rp-1", "pol-1", "run-1"),
                new JobStarted("j-2", null, ProgressUnits.ASSETS),
                new JobProgressed("j-2", 8, 512, 1024, ProgressUnits.BYTES, new JobCounter("files", 3, 14)),
                new JobProgressed(
                        "j-3",
                        9,
                        0,
                        0,
                        null,
                        null,
                        List.of(
                                new JobPhaseTiming("queued", java.time.Instant.parse("2026-11-26T10:00:00Z"), 40),
                                new JobPhaseTiming(
                                        "snapshot", java.time.Instant.parse("2026-11-26T10:00:00.040Z"), 812))),
                new JobSucceeded("j-2", new JobResult(null, null, null, null, "r-1", "clean")),
                new JobSucceeded("j-1", new JobResult("rp-1", "snap-1", null, null, null)),
                new JobSucceeded(
                        "j-9", JobResult.maintenance(1L << 20, 3, 1, 2, 40, List.of("packs/ab/abcd: missing"))),
                new JobFailed("j-1", "snapshot-not-found", "Snapshot snap-1 does not exist"),
                new JobCancelled("j-1"),
                new JobCancelRequested("j-1"),
                new JobRequeueRequested("j-1", "vlt-1", "srv-1", "spot-interruption"),
                new AssetChanged(
                        "aws:ec2:1:us-east-1:i-1",
                        AssetChange.UPDATED,
                        Map.of("state", "running"),
                        Map.of("state", "stopped")),
                new ConnectorPinged("01JD0000000000000000000000", "catalog"));
    }

    @Test
    void theSamplesCoverEveryEventType() {
        var sampled = oneOfEachEvent().map(EventTypes::typeOf).distinct().toList();
        var permitted = Arrays.stream(ConnectorEvent.class.getPermittedSubclasses())
                .map(Class::getSimpleName)
                .toList();
        assertThat(sampled).containsExactlyInAnyOrderElementsOf(permitted);
    }

    @ParameterizedTest
    @MethodSource("oneOfEachEvent")
    void everyEventSurvivesARoundTrip(ConnectorEvent event) {
        var envelope = EventEnvelope.wrap(event, "cc-test", "j-1", CLOCK);

        var decoded = codec.decode(codec.encode(envelope));

        assertThat(decoded).isEqualTo(envelope);
        assertThat(decoded.type()).isEqualTo(event.getClass().getSimpleName());
    }

    @Test
    void writesTheDocumentedEnvelope() {
        var envelope = new EventEnvelope(
                "01JD3ZRX5KQ0M8YV5D3M0RZ2J4",
                "JobProgressed",
                1,
                CLOCK.instant(),
                "cc-test",
                "j-9",
                new JobProgressed("j-9", 3, 10, 20));

        assertThat(codec.encode(envelope)).isEqualTo("""
                {"id":"01JD3ZRX5KQ0M8YV5D3M0RZ2J4","type":"JobProgressed","version":1,\
                "time":"2026-11-26T10:15:30Z","connectorId":"cc-test","correlationId":"j-9",\
                "payload":{"jobId":"j-9","sequence":3,"bytesDone":10,"bytesTotal":20}}""");
    }

    @Test
    void progressFromAnOlderProducerHasNoUnitAndCountsBytes() {
        var decoded = codec.decode("""
                {"id":"01JD3ZRX5KQ0M8YV5D3M0RZ2J4","type":"JobProgressed","version":1,\
                "time":"2026-11-26T10:15:30Z","connectorId":"cc-test",\
                "payload":{"jobId":"j-9","sequence":3,"bytesDone":10,"bytesTotal":20}}""");
        var started = codec.decode("""
                {"id":"01JD3ZRX5KQ0M8YV5D3M0RZ2J5","type":"JobStarted","version":1,\
                "time":"2026-11-26T10:15:30Z","connectorId":"cc-test","payload":{"jobId":"j-9","bytesTotal":20}}""");

        assertThat(decoded.payload()).isEqualTo(new JobProgressed("j-9", 3, 10, 20));
        assertThat(((JobProgressed) decoded.payload()).unit()).isNull();
        assertThat(ProgressUnits.orBytes(((JobProgressed) decoded.payload()).unit()))
                .isEqualTo("bytes");
        assertThat(started.payload()).isEqualTo(new JobStarted("j-9", 20L, null));
    }

    @Test
    void phasesAreWrittenWithTheirStartAndMillisecondsOnlyWhenThereAreSome() {
        var json = codec.encode(EventEnvelope.wrap(
                new JobProgressed(
                        "j-9",
                        3,
                        10,
                        20,
                        null,
                        null,
                        List.of(new JobPhaseTiming("snapshot", java.time.Instant.parse("2026-11-26T10:00:00Z"), 812))),
                "cc-test",
                null,
                CLOCK));

        assertThat(json)
                .contains(
                        "\"phases\":[{\"phase\":\"snapshot\",\"startedAt\":\"2026-11-26T10:00:00Z\",\"millis\":812}]");
        assertThat(codec.encode(EventEnvelope.wrap(new JobProgressed("j-9", 3, 10, 20), "cc-test", null, CLOCK)))
                .doesNotContain("phases");
    }

    @Test
    void aUnitAndASecondCounterAreWrittenOnlyWhenSet() {
        var json = codec.encode(EventEnvelope.wrap(
                new JobProgressed("j-9", 3, 10, 20, "assets", new JobCounter("files", 1, 2)), "cc-test", null, CLOCK));

        assertThat(json).contains("\"unit\":\"assets\"", "\"secondary\":{\"unit\":\"files\",\"done\":1,\"total\":2}");
        assertThat(codec.encode(EventEnvelope.wrap(
                        new JobCreated("j-1", JobKind.DISCOVERY, null, null, null), "cc-test", null, CLOCK)))
                .doesNotContain("policyId", "runId");
    }

    @Test
    void enumsAreLowerCaseWithDashes() {
        var json = codec.encode(EventEnvelope.wrap(
                new JobCreated("j-1", JobKind.INTEGRITY_CHECK, null, null, null), "cc-test", null, CLOCK));

        assertThat(json).contains("\"kind\":\"integrity-check\"").doesNotContain("correlationId");
    }

    @Test
    void unwrapsTheEventBridgeEventAnInboxReceives() {
        var envelope = EventEnvelope.wrap(new JobCancelled("j-3"), "cc-test", "j-3", CLOCK);
        var fromSqs = """
                {"version":"0","id":"b6f1","detail-type":"JobCancelled","source":"cloudconnector.background-jobs",
                 "account":"123456789012","time":"2026-11-26T10:15:30Z","region":"us-east-1","resources":[],
                 "detail":%s}""".formatted(codec.encode(envelope));

        assertThat(codec.decode(fromSqs)).isEqualTo(envelope);
    }

    @Test
    void setsApartEventsFromAwsItself() {
        var ec2 = """
                {"version":"0","id":"7bf73129","detail-type":"EC2 Instance State-change Notification",
                 "source":"aws.ec2","account":"123456789012","time":"2026-11-26T10:15:30Z","region":"us-east-1",
                 "resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-1"],
                 "detail":{"instance-id":"i-1","state":"stopped"}}""";

        assertThatThrownBy(() -> codec.decode(ec2)).isInstanceOfSatisfying(ForeignEventException.class, e -> {
            assertThat(e.source()).isEqualTo("aws.ec2");
            assertThat(e.detailType()).isEqualTo("EC2 Instance State-change Notification");
            assertThat(e.eventId()).isEqualTo("7bf73129");
            assertThat(e.event().path("detail").path("state").asString()).isEqualTo("stopped");
        });
    }

    @Test
    void toleratesFieldsAddedByNewerProducers() {
        var json = """
                {"id":"01JD3ZRX5KQ0M8YV5D3M0RZ2J4","type":"JobCancelled","version":2,"time":"2026-11-26T10:15:30Z",
                 "connectorId":"cc-test","payload":{"jobId":"j-1","reason":"operator"},"traceId":"abc"}""";

        var decoded = codec.decode(json);

        assertThat(decoded.payload()).isEqualTo(new JobCancelled("j-1"));
        assertThat(decoded.version()).isEqualTo(2);
        assertThat(decoded.correlationId()).isNull();
    }

    @Test
    void refusesAnUnknownTypeByName() {
        var json = """
                {"id":"x","type":"SomethingNew","version":1,"time":"2026-11-26T10:15:30Z","connectorId":"c","payload":{}}""";

        assertThatThrownBy(() -> codec.decode(json))
                .isInstanceOf(UnknownEventTypeException.class)
                .hasMessageContaining("SomethingNew");
    }

    @Test
    void refusesMalformedEnvelopes() {
        for (var bad : List.of("not json", "{}", """
                {"id":"x","type":"JobCancelled","version":1,"time":"yesterday","connectorId":"c","payload":{"jobId":"j"}}""", """
                {"id":"x","type":"JobCancelled","version":1,"time":"2026-11-26T10:15:30Z","connectorId":"c"}""", """
                {"id":"x","type":"JobProgressed","version":1,"time":"2026-11-26T10:15:30Z","connectorId":"c",
                 "payload":{"jobId":"j","sequence":"many"}}""")) {
            assertThatThrownBy(() -> codec.decode(bad)).as(bad).isInstanceOf(MalformedEventException.class);
        }
    }
}
