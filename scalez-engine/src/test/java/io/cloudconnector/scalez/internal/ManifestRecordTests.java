package io.cloudconnector.scalez.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.blob.LockMode;
import io.cloudconnector.scalez.crypto.Aead;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.model.SourceKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Manifest format 2 (storage-format §7.2): the record round-trips, format 1 is still written and read without one. */
class ManifestRecordTests {

    private static final Aead AEAD = new Aead(new byte[32]);
    private static final String ID = "rp-01KC0000000000000000000000";
    private static final RecoveryPoint POINT = new RecoveryPoint(
            ID,
            SourceKind.STREAM,
            Instant.parse("2026-12-07T00:00:00Z"),
            null,
            "-",
            Map.of("vault", "vlt-1"),
            10,
            10,
            5,
            Duration.ofSeconds(1));
    private static final List<ObjectId> ROOTS = List.of(ObjectId.sha256("a".getBytes(StandardCharsets.UTF_8)));

    @Test
    void aRecordRoundTripsInVersion2() {
        var record = new PointRecord(
                Instant.parse("2027-01-06T00:00:00Z"),
                LockMode.COMPLIANCE,
                List.of(
                        new PointRecord.Entry(
                                "packs/ab/ab" + "0".repeat(62), "v-2", Instant.parse("2027-01-09T00:00:00Z")),
                        new PointRecord.Entry("index/" + "1".repeat(64), "v-1", null)));
        var sealed = new Manifest(POINT, ROOTS, record).seal(AEAD);
        assertThat(sealed[4]).isEqualTo((byte) 2);
        var opened = Manifest.open(ID, sealed, AEAD);
        assertThat(opened.summary()).isEqualTo(POINT);
        assertThat(opened.roots()).isEqualTo(ROOTS);
        var read = opened.record();
        assertThat(read).isNotNull();
        assertThat(read.lockedUntil()).isEqualTo(record.lockedUntil());
        assertThat(read.mode()).isEqualTo(LockMode.COMPLIANCE);
        // Sorted by key on the way out.
        assertThat(read.objects())
                .containsExactly(record.objects().get(1), record.objects().get(0));
        assertThat(read.find("index/" + "1".repeat(64)).versionId()).isEqualTo("v-1");
    }

    @Test
    void withoutARecordTheManifestIsVersion1AsBefore() {
        var sealed = new Manifest(POINT, ROOTS).seal(AEAD);
        assertThat(sealed[4]).isEqualTo((byte) 1);
        var opened = Manifest.open(ID, sealed, AEAD);
        assertThat(opened.record()).isNull();
        assertThat(opened.roots()).isEqualTo(ROOTS);
    }

    @Test
    void anUnknownVersionIsRefused() {
        var sealed = new Manifest(POINT, ROOTS).seal(AEAD);
        var bumped = Arrays.copyOf(sealed, sealed.length);
        bumped[4] = 3;
        assertThatThrownBy(() -> Manifest.open(ID, bumped, AEAD))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("version 3");
    }

    @Test
    void aRetentionOverrideOpensOnlyForItsPoint() {
        var until = Instant.parse("2027-02-01T00:00:00Z");
        var sealed = LockOverride.seal(ID, until, AEAD);
        assertThat(LockOverride.open(ID, sealed, AEAD)).isEqualTo(until);
        assertThatThrownBy(() -> LockOverride.open("rp-01KC0000000000000000000001", sealed, AEAD))
                .isInstanceOf(FormatException.class);
    }
}
