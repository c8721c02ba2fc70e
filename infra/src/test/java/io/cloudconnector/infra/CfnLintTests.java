package io.cloudconnector.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class CfnLintTests {

    private static final Pattern IGNORED_CHECKS = Pattern.compile("ignore_checks:\\s*\\[([^]]*)]");

    private static CfnLint.Result result;

    @BeforeAll
    static void lintEveryTemplate() {
        // One cfn-lint process for all templates: it spends most of its time loading its specs.
        result = CfnLint.run(Template.ALL.stream().map(Template::path).toList());
    }

    @Test
    void cfnLintExitsZeroOnEveryTemplate() {
        assertThat(result.exitCode())
                .as("cfn-lint findings:%n%s", String.join("\n", result.findings()))
                .isZero();
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.Template#ALL")
    void templateHasNoErrorOrWarning(String template) {
        assertThat(result.about(Template.path(template))).isEmpty();
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.Template#ALL")
    void everyIgnoredCheckIsExplainedInAComment(String template) {
        var body = Template.body(template);
        var ignored = IGNORED_CHECKS
                .matcher(body)
                .results()
                .flatMap(match -> List.of(match.group(1).split(",")).stream())
                .map(String::strip)
                .toList();
        for (var check : ignored) {
            assertThat(body)
                    .as("%s ignores %s; a comment must say why", template, check)
                    .containsPattern("#[^\\n]*\\b" + check + "\\b");
        }
    }

    @Test
    void lintReportsABrokenTemplate(@TempDir Path dir) throws IOException {
        // Guards the checks above against a lint run that would pass anything (wrong binary or arguments).
        var broken = dir.resolve("broken.yaml");
        Files.writeString(
                broken,
                Template.body(Template.ACCOUNT).replace("kms:GetKeyRotationStatus", "kms:GetKeyRotationStatuz"));

        var brokenResult = CfnLint.run(List.of(broken));

        assertThat(brokenResult.exitCode()).isNotZero();
        assertThat(brokenResult.about(broken))
                .anyMatch(finding -> finding.contains("GetKeyRotationStatuz".toLowerCase()));
    }
}
