package io.cloudconnector.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The repository's docs stand on their own: every link and citation resolves inside it. */
class DocReferencesTests {

    @TempDir
    Path repository;

    @Test
    void theRepositoryCitesNothingOutsideItselfAndEveryLinkResolves() {
        assertThat(DocReferences.problems(repositoryRoot())).isEmpty();
    }

    @Test
    void aCitationOfADesignFileThatIsNotInTheRepositoryIsFoundInDocsCodeAndBuildFiles() throws IOException {
        write("docs/api.md", "# API\n\nAll services share these conventions (ARCHITECTURE.md §9).\n");
        write("common/src/main/java/Scopes.java", "/** The scopes (CONVENTIONS.md). */\nclass Scopes {}\n");
        write("pom.xml", "<message>no Spring (see ../shared/DESIGN-NOTES.md)</message>\n");

        assertThat(DocReferences.problems(repository))
                .containsExactly(
                        "common/src/main/java/Scopes.java:1: cites CONVENTIONS.md, which is not in the repository (cite a docs/ page instead)",
                        "docs/api.md:3: cites ARCHITECTURE.md, which is not in the repository (cite a docs/ page instead)",
                        "pom.xml:1: cites ../shared/, which is not in the repository (cite a docs/ page instead)",
                        "pom.xml:1: cites DESIGN-NOTES.md, which is not in the repository (cite a docs/ page instead)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ../../outside.md                | leaves the repository
            ../../etc/passwd                | leaves the repository
            missing.md                      | points to a missing file
            other.md#no-such-heading        | points to a missing heading
            '#nowhere'                      | points to a missing heading
            """)
    void aLinkThatLeavesTheRepositoryOrResolvesToNothingIsReported(String target, String problem) throws IOException {
        write("docs/other.md", "# Other\n\n## Keys and cryptography\n");
        write("docs/page.md", "# Page\n\nSee [there](" + target + ").\n");

        assertThat(DocReferences.problems(repository))
                .containsExactly("docs/page.md:3: link " + target + " " + problem);
    }

    @Test
    void linksThatResolveWebLinksAndExamplesInCodeAreNotReported() throws IOException {
        write("README.md", "[docs](docs/page.md), [why](docs/other.md#2-keys-and-cryptography)\n");
        write("docs/other.md", "# Other\n\n## 2. Keys and cryptography\n\n## `scalez serve` (the server)\n");
        write("docs/page.md", """
                # Page

                [home](../README.md), [server](other.md#scalez-serve-the-server), [top](#page),
                [AWS](https://docs.aws.amazon.com/ebs/), [mail](mailto:ops@example.com)

                [ref]: other.md

                ```
                [not a link](../../outside.md)
                ```

                Code such as `[x](../../y.md)` is an example.
                """);

        assertThat(DocReferences.problems(repository)).isEmpty();
    }

    @Test
    void codeThatNamesADocsPageWhichDoesNotExistIsReported() throws IOException {
        write("docs/architecture.md", "# Architecture\n");
        write("e2e-tests/src/test/java/Rules.java", """
                /** The rules of docs/architecture.md, Modules. */
                class Rules {
                    // see docs/architecure.md
                }
                """);

        assertThat(DocReferences.problems(repository))
                .containsExactly(
                        "e2e-tests/src/test/java/Rules.java:3: names docs/architecure.md, which does not exist");
    }

    @Test
    void headingsGetGitHubsAnchors() {
        assertThat(DocReferences.slug("2. Keys and cryptography")).isEqualTo("2-keys-and-cryptography");
        assertThat(DocReferences.slug("Rebuild (`POST /v1/vaults/{id}/catalog:rebuild`)"))
                .isEqualTo("rebuild-post-v1vaultsidcatalogrebuild");
        assertThat(DocReferences.slug("What the emulator cannot show, and how it is tested instead"))
                .isEqualTo("what-the-emulator-cannot-show-and-how-it-is-tested-instead");
        assertThat(DocReferences.slug("See [storage format](storage-format.md)"))
                .isEqualTo("see-storage-format");
    }

    private void write(String path, String content) throws IOException {
        Path file = repository.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    /** The repository this module belongs to: set by the build, else found above the working directory. */
    private static Path repositoryRoot() {
        String configured = System.getProperty("repository.root");
        if (configured != null) {
            return Path.of(configured);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("docs"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "No repository root above " + Path.of("").toAbsolutePath());
    }
}
