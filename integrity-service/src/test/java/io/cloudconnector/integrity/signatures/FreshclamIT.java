package io.cloudconnector.integrity.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.testing.RequiredTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real freshclam with the configuration the update job writes, against a private mirror on the loopback. */
class FreshclamIT {

    static final String FRESH_NDB = "CloudConnector.Test.FreshSignature:0:*:"
            + java.util.HexFormat.of().formatHex("CLOUDCONNECTOR-FRESH-SIGNATURE-TEST-7f3a".getBytes()) + "\n";

    @TempDir
    Path dir;

    @Test
    void theStandardDatabasesAreFetchedFromThePrivateMirrorAndOneWithoutClamAvsSignatureIsRefused() {
        try (var mirror = new TestMirror(dir.resolve("mirror"))) {
            mirror.database("daily", "cvd", 27_500, FRESH_NDB);

            var result = Freshclam.run(
                    RequiredTools.path("freshclam"),
                    dir.resolve("db"),
                    List.of(mirror.url()),
                    List.of("daily"),
                    List.of(),
                    Duration.ofMinutes(2));

            assertThat(mirror.requests())
                    .as("freshclam asked the private mirror, nobody else")
                    .contains("/daily.cvd");
            assertThat(mirror.requests()).noneMatch(p -> p.startsWith("/main") || p.startsWith("/bytecode"));
            assertThat(result.exitCode()).isNotZero();
            assertThat(result.output()).contains("Can't verify database integrity");
        }
    }

    @Test
    void aCustomDatabaseUrlIsFetchedAndKeptWithItsHeader() throws Exception {
        try (var mirror = new TestMirror(dir.resolve("mirror"))) {
            mirror.database("fresh", "cud", 27_001, FRESH_NDB);

            var result = Freshclam.run(
                    RequiredTools.path("freshclam"),
                    dir.resolve("db"),
                    List.of(mirror.url()),
                    List.of(),
                    List.of(mirror.url() + "/fresh.cud"),
                    Duration.ofMinutes(2));

            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(mirror.requests()).containsExactly("/fresh.cud");
            var set = SignatureSet.of(SignatureSet.BUCKET, dir.resolve("db"), null, null, List.of());
            assertThat(set.version()).isEqualTo("fresh 27001");
            assertThat(set.builtAt()).isNotNull();
        }
    }

    @Test
    void theConfigurationNamesTheMirrorsExclusionsAndCustomUrls() {
        var config = Freshclam.config(
                Path.of("/tmp/db"),
                List.of("https://mirror.example/clamav"),
                List.of("daily", "main"),
                List.of("https://mirror.example/company.ndb"));

        assertThat(config.lines())
                .contains(
                        "DatabaseDirectory /tmp/db",
                        "DNSDatabaseInfo no",
                        "PrivateMirror https://mirror.example/clamav",
                        "ExcludeDatabase bytecode",
                        "DatabaseCustomURL https://mirror.example/company.ndb")
                .doesNotContain("ExcludeDatabase daily", "ExcludeDatabase main");
        assertThat(Freshclam.config(Path.of("/tmp/db"), List.of(), List.of("daily", "main", "bytecode"), List.of())
                        .lines())
                .noneMatch(l -> l.startsWith("DNSDatabaseInfo") || l.startsWith("ExcludeDatabase"));
    }
}
