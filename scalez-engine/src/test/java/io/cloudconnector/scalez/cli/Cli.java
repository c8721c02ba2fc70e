package io.cloudconnector.scalez.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged CLI jar as its own JVM, as a user or a job runner would. */
final class Cli {

    private final Map<String, String> environment;

    Cli(Map<String, String> environment) {
        this.environment = environment;
    }

    static Path jar() {
        var jar = Path.of(System.getProperty("scalez.cli.jar", "target/scalez.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No CLI jar at " + jar + ": run mvn package first");
        }
        return jar;
    }

    /** The result of a finished run. */
    record Result(int exitCode, String stdout, String stderr) {}

    ProcessBuilder builder(Path workDir, String... args) {
        var java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(
                List.of(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-jar", jar().toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().putAll(environment);
        return builder;
    }

    Result run(Path workDir, String... args) throws IOException, InterruptedException {
        var out = Files.createTempFile(workDir, "out", ".txt");
        var err = Files.createTempFile(workDir, "err", ".txt");
        var process = builder(workDir, args)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("scalez " + String.join(" ", args) + " did not finish");
        }
        var result = new Result(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return result;
    }
}
