package io.cloudconnector.infra;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs the {@code cfn-lint} executable (PATH, or pyenv's shims) on templates. */
final class CfnLint {

    private static final long TIMEOUT_SECONDS = 180;

    private CfnLint() {}

    /** The exit code (bit flags: 2 error, 4 warning, 8 informational, 1 crash) and the parseable findings. */
    record Result(int exitCode, List<String> findings) {

        /** The findings about one template. */
        List<String> about(Path template) {
            return findings.stream()
                    .filter(line -> line.startsWith(template.toString()))
                    .toList();
        }
    }

    static Result run(List<Path> templates) {
        var command = new ArrayList<String>();
        command.add(executable());
        command.add("--format");
        command.add("parseable");
        command.add("--");
        templates.forEach(template -> command.add(template.toString()));
        try {
            // Output goes to a file so that a hanging cfn-lint cannot block the read past the timeout.
            var output = Files.createTempFile("cfn-lint", ".txt");
            try {
                var process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile())
                        .start();
                process.getOutputStream().close();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("cfn-lint did not finish within " + TIMEOUT_SECONDS + " s");
                }
                var findings = Files.readAllLines(output, StandardCharsets.UTF_8).stream()
                        .filter(line -> !line.isBlank())
                        .toList();
                return new Result(process.exitValue(), findings);
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running cfn-lint", e);
        }
    }

    private static String executable() {
        var path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (var dir : path.split(File.pathSeparator)) {
            var candidate = Path.of(dir, "cfn-lint");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        var pyenv = Path.of(System.getProperty("user.home"), ".pyenv", "shims", "cfn-lint");
        if (Files.isExecutable(pyenv)) {
            return pyenv.toString();
        }
        throw new IllegalStateException("cfn-lint is not installed: pip install 'cfn-lint>=1.51'");
    }
}
