package io.cloudconnector.common.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The machine's programs that integration tests run (disk-image builders, scanners, a browser): found on
 * {@code PATH} or in {@code /usr/sbin} and {@code /sbin}, or the test fails at once naming the program and the Debian
 * package that has it. Never a skip: a test that cannot run because a tool is missing is a failed run, and
 * {@code ./connector test} installs all of them first.
 */
public final class RequiredTools {

    /** The Debian package of each program the tests run; keep in step with {@code TEST_TOOLS} in scripts/lib.sh. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("mke2fs", "e2fsprogs"),
            Map.entry("debugfs", "e2fsprogs"),
            Map.entry("clamd", "clamav-daemon"),
            Map.entry("clamscan", "clamav"),
            Map.entry("sigtool", "clamav"),
            Map.entry("freshclam", "clamav-freshclam"),
            Map.entry("yara", "yara"),
            Map.entry("fls", "sleuthkit"),
            Map.entry("icat", "sleuthkit"),
            Map.entry("mkntfs", "ntfs-3g"),
            Map.entry("ntfscp", "ntfs-3g"),
            Map.entry("sfdisk", "fdisk"),
            Map.entry("mkfs.xfs", "xfsprogs"),
            Map.entry("xfs_db", "xfsprogs"),
            Map.entry("chromium", "chromium"));

    private RequiredTools() {}

    /** The absolute path of {@code program}, or an {@link AssertionError} naming it and what to install. */
    public static String path(String program) {
        return find(program).map(Path::toString).orElseThrow(() -> new AssertionError(missing(program)));
    }

    /** Whether {@code program} is on this machine (for tools with alternatives, such as a browser's names). */
    public static boolean present(String program) {
        return find(program).isPresent();
    }

    /** The message for a missing program: its name, its package, and the command that installs everything. */
    public static String missing(String program) {
        var pkg = PACKAGES.get(program);
        return "required tool '" + program + "' is not installed"
                + (pkg == null ? "" : " (Debian package " + pkg + ": apt-get install -y " + pkg + ")")
                + "; ./connector test installs every tool the tests need";
    }

    private static java.util.Optional<Path> find(String program) {
        if (program.contains(File.separator)) {
            var given = Path.of(program);
            return Files.isExecutable(given) ? java.util.Optional.of(given) : java.util.Optional.empty();
        }
        var dirs = Stream.concat(
                Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)),
                Stream.of("/usr/sbin", "/sbin"));
        return dirs.filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
