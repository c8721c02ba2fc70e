package io.cloudconnector.integrity.signatures;

import io.cloudconnector.integrity.scan.detect.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of ClamAV's {@code freshclam} into a directory, with a configuration written for it: the private mirrors
 * ({@code PrivateMirror}, which also turns off the DNS version check that only ClamAV's servers answer), the
 * standard databases not wanted ({@code ExcludeDatabase}) and custom database URLs ({@code DatabaseCustomURL}).
 * freshclam checks each CVD's digital signature itself: a mirror cannot hand it a forged database.
 */
final class Freshclam {

    private static final List<String> STANDARD = List.of("daily", "main", "bytecode");

    private Freshclam() {}

    /** What freshclam said; {@code exitCode} 0 is success. */
    record Result(int exitCode, String output) {}

    static String config(Path directory, List<String> mirrors, List<String> databases, List<String> customUrls) {
        List<String> lines = new ArrayList<>();
        lines.add("DatabaseDirectory " + directory.toAbsolutePath());
        lines.add("DatabaseOwner " + System.getProperty("user.name"));
        lines.add("Foreground yes");
        lines.add("LogSyslog no");
        lines.add("MaxAttempts 2");
        lines.add("ConnectTimeout 30");
        lines.add("ReceiveTimeout 600");
        if (!mirrors.isEmpty()) {
            lines.add("DNSDatabaseInfo no");
            mirrors.forEach(m -> lines.add("PrivateMirror " + m));
        }
        for (var standard : STANDARD) {
            if (!databases.contains(standard)) {
                lines.add("ExcludeDatabase " + standard);
            }
        }
        customUrls.forEach(u -> lines.add("DatabaseCustomURL " + u));
        return String.join("\n", lines) + "\n";
    }

    static Result run(
            String program,
            Path directory,
            List<String> mirrors,
            List<String> databases,
            List<String> customUrls,
            Duration timeout) {
        try {
            Files.createDirectories(directory);
            var conf = directory.resolveSibling(directory.getFileName() + ".freshclam.conf");
            Files.writeString(conf, config(directory, mirrors, databases, customUrls));
            var result = Processes.run(List.of(program, "--config-file=" + conf, "--stdout"), null, timeout);
            return new Result(result.exitCode(), (result.out() + result.stderr()).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
