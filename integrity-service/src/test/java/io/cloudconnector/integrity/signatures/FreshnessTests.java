package io.cloudconnector.integrity.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a scan's signatures let it vouch for a recovery point: age against the maximum, and the built-in set. */
class FreshnessTests {

    private static final Instant BUILT = Instant.parse("2026-12-01T06:00:00Z");
    private static final Duration MAX = Duration.ofDays(3);

    private static SignatureSet official(Instant builtAt) {
        return new SignatureSet(
                SignatureSet.BUCKET,
                Path.of("/tmp/copy"),
                List.of(
                        new SignatureSet.Database("daily.cld", 27_001L, 2_000_000L, builtAt),
                        new SignatureSet.Database("main.cvd", 62L, 6_000_000L, builtAt.minus(Duration.ofDays(300)))),
                "s3://cc-connector/signatures/clamav/20261201T061000Z/",
                builtAt.plus(Duration.ofMinutes(10)),
                List.of());
    }

    @Test
    void signaturesBuiltWithinTheMaximumAgeAreAcceptable() {
        var fresh = new Freshness(official(BUILT), BUILT.plus(Duration.ofDays(2)), MAX, false);

        assertThat(fresh.age()).isEqualTo(Duration.ofDays(2));
        assertThat(fresh.stale()).isFalse();
        assertThat(fresh.acceptable()).isTrue();
        assertThat(fresh.explanation()).isNull();
        assertThat(fresh.set().version()).isEqualTo("daily 27001, main 62");
    }

    @Test
    void theAgeRunsFromTheNewestDatabaseAndOneMinutePastTheMaximumIsStale() {
        var atTheLimit = new Freshness(official(BUILT), BUILT.plus(MAX), MAX, true);
        var past = new Freshness(official(BUILT), BUILT.plus(MAX).plusSeconds(60), MAX, true);

        assertThat(atTheLimit.acceptable()).isTrue();
        assertThat(past.stale()).isTrue();
        assertThat(past.acceptable())
                .as("accept-built-in does not excuse stale databases")
                .isFalse();
        assertThat(past.explanation())
                .isEqualTo("signatures-stale: the ClamAV signatures (daily 27001, main 62) are 3 d old, more than "
                        + "connector.integrity.max-signature-age (3 d)");
    }

    @Test
    void theBuiltInTestSignaturesAloneAreStaleUnlessAccepted() {
        var builtIn = SignatureSet.builtIn(List.of("s3://cc-connector/signatures/clamav/ holds no copy yet"));

        var production = new Freshness(builtIn, BUILT, MAX, false);
        var local = new Freshness(builtIn, BUILT, MAX, true);

        assertThat(production.builtInOnly()).isTrue();
        assertThat(production.age()).isNull();
        assertThat(production.acceptable()).isFalse();
        assertThat(production.explanation())
                .startsWith("signatures-stale: only the connector's built-in test signatures were loaded")
                .contains("holds no copy yet");
        assertThat(local.acceptable()).isTrue();
        assertThat(local.explanation())
                .startsWith("only the connector's built-in test signatures")
                .endsWith("accepted because connector.integrity.signatures.accept-built-in is set (local stack and "
                        + "tests only)");
    }

    @Test
    void plainSignatureFilesWithoutAHeaderAreDatedByWhenTheyWereFetched() {
        var fetched = Instant.parse("2026-12-01T00:00:00Z");
        var custom = new SignatureSet(
                SignatureSet.BUCKET,
                Path.of("/tmp/copy"),
                List.of(new SignatureSet.Database("company.ndb", null, null, null)),
                "s3://cc-connector/signatures/clamav/20261201T000000Z/",
                fetched,
                List.of());

        assertThat(new Freshness(custom, fetched.plus(Duration.ofDays(4)), MAX, false).stale())
                .isTrue();
        assertThat(new Freshness(custom, fetched.plus(Duration.ofHours(5)), MAX, false).age())
                .isEqualTo(Duration.ofHours(5));
    }

    @Test
    void aCvdHeaderGivesVersionSignaturesAndBuildTime() {
        var header = "ClamAV-VDB:07 Dec 2026 07-00 +0000:27001:4:216:63319856c907f2201072f1a8fa2de5fa:X:builder:"
                + "1796626809";
        var database = SignatureSet.parse("daily.cud", (header + " ".repeat(512 - header.length())).getBytes());

        assertThat(database.version()).isEqualTo(27_001L);
        assertThat(database.signatures()).isEqualTo(4L);
        assertThat(database.builtAt()).isEqualTo(Instant.ofEpochSecond(1_796_626_809L));
        assertThat(SignatureSet.parse("daily.cvd", "garbage".getBytes()).version())
                .isNull();
        assertThat(SignatureSet.parse("company.ndb", header.getBytes()).version())
                .isNull();
    }
}
