package io.cloudconnector.integrity.scan.detect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * YARA as a second engine: the {@code yara} command over a staged directory with the connector's rules
 * (classpath {@code signatures/cloudconnector.yar}) and any {@code .yar} files of an extra rules directory.
 * It reads files only (it silently scans nothing on a pipe), hence the staging.
 */
public final class Yara {

    /** How long YARA may spend on one file before it gives up on it. */
    private static final int PER_FILE_TIMEOUT_SECONDS = 60;

    private final String yara;
    private final List<Path> rules;
    private final Duration timeout;
    private final String version;

    private Yara(String yara, List<Path> rules, Duration timeout, String version) {
        this.yara = yara;
        this.rules = rules;
        this.timeout = timeout;
        this.version = version;
    }

    /** A rule matched a staged file; {@code tags} say what it means (malware, ransom_note). */
    public record Hit(Path file, String rule, Set<String> tags) {}

    /** Prepares the rules in {@code workDir} and checks that they compile. */
    public static Yara prepare(String yara, Path workDir, Path extraRules, Duration timeout) {
        try {
            List<Path> rules = new ArrayList<>();
            var own = workDir.resolve("cloudconnector.yar");
            try (InputStream in = Yara.class.getResourceAsStream("/signatures/cloudconnector.yar")) {
                if (in == null) {
                    throw new IllegalStateException("signatures/cloudconnector.yar is missing from the jar");
                }
                Files.write(own, in.readAllBytes());
            }
            rules.add(own);
            if (Files.isDirectory(extraRules)) {
                try (var files = Files.list(extraRules)) {
                    files.filter(f -> f.toString().endsWith(".yar")
                                    || f.toString().endsWith(".yara"))
                            .sorted()
                            .forEach(rules::add);
                }
            }
            var version = Processes.check(List.of(yara, "--version"), null, timeout);
            var empty = Files.createDirectories(workDir.resolve("yara-check"));
            var check = Processes.run(command(yara, rules, timeout, empty), null, timeout);
            if (check.exitCode() != 0) {
                throw new ScanEngineException(
                        "YARA rules do not compile: " + check.stderr().strip(), null);
            }
            return new Yara(yara, List.copyOf(rules), timeout, new String(version).strip());
        } catch (IOException e) {
            throw new ScanEngineException("Cannot prepare YARA rules: " + e.getMessage(), e);
        } catch (Processes.ProcessException e) {
            throw new ScanEngineException("Cannot run " + yara + ": " + e.getMessage(), e);
        }
    }

    private static List<String> command(String yara, List<Path> rules, Duration timeout, Path directory) {
        List<String> command = new ArrayList<>(List.of(
                yara,
                "--no-warnings",
                "--print-tags",
                "--recursive",
                "--threads=2",
                "--timeout=" + PER_FILE_TIMEOUT_SECONDS));
        for (int i = 0; i < rules.size(); i++) {
            // Namespaces keep rule names of different files apart.
            command.add("r" + i + ":" + rules.get(i));
        }
        command.add(directory.toString());
        return command;
    }

    /** The rule files in use. */
    public List<String> ruleFiles() {
        return rules.stream().map(p -> p.getFileName().toString()).toList();
    }

    /** What {@code yara --version} says. */
    public String version() {
        return version;
    }

    /** Matches every file under {@code directory}. */
    public List<Hit> scan(Path directory) {
        Processes.Result result;
        try {
            result = Processes.run(command(yara, rules, timeout, directory), null, timeout);
        } catch (Processes.ProcessException e) {
            throw new ScanEngineException("yara failed: " + e.getMessage(), e);
        }
        if (result.exitCode() != 0) {
            throw new ScanEngineException(
                    "yara exited " + result.exitCode() + ": " + result.stderr().strip(), null);
        }
        List<Hit> hits = new ArrayList<>();
        for (var line : result.out().split("\n")) {
            // "<rule> [<tag>,<tag>] <path>"
            int open = line.indexOf(" [");
            int close = line.indexOf("] ", open);
            if (open < 0 || close < 0) {
                continue;
            }
            var tags = Arrays.stream(line.substring(open + 2, close).split(","))
                    .map(String::strip)
                    .filter(t -> !t.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
            hits.add(new Hit(Path.of(line.substring(close + 2)), line.substring(0, open), tags));
        }
        return hits;
    }
}
