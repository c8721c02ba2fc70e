package io.cloudconnector.integrity.signatures;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The ClamAV databases a scan loads besides the connector's built-in test signatures: where they came from
 * ({@code bucket}: the newest copy the {@code signatures-update} job stored; {@code local}: the machine's own
 * {@code official-clamav-database} directory; {@code built-in}: none), each database's version and build time as its
 * CVD header says, and when the copy was fetched.
 *
 * @param source {@code bucket}, {@code local} or {@code built-in}
 * @param directory the files to load; null for the built-in set alone
 * @param location the copy's key prefix in the bucket, or the local directory
 * @param fetchedAt when freshclam fetched the copy (bucket), or null
 * @param notes why a better source was not used (e.g. the bucket could not be read)
 */
public record SignatureSet(
        String source,
        @Nullable Path directory,
        List<Database> databases,
        @Nullable String location,
        @Nullable Instant fetchedAt,
        List<String> notes) {

    public static final String BUCKET = "bucket";
    public static final String LOCAL = "local";
    public static final String BUILT_IN = "built-in";

    /** The extensions of the database files ClamAV loads from a database directory. */
    public static final Set<String> DATABASE_EXTENSIONS = Set.of(
            "cvd", "cld", "cud", "ndb", "ndu", "hdb", "hdu", "hsb", "hsu", "ldb", "ldu", "mdb", "mdu", "msb", "msu",
            "cdb", "idb", "fp", "sfp", "ign", "ign2", "ftm", "pdb", "wdb", "crb", "cat");

    /**
     * One database file: its name, and from its CVD header (for {@code .cvd}, {@code .cld} and {@code .cud} files) its
     * version, signature count and build time; a plain signature file has none of them.
     */
    public record Database(
            String name,
            @Nullable Long version,
            @Nullable Long signatures,
            @Nullable Instant builtAt) {}

    /** Only the connector's built-in signatures. */
    public static SignatureSet builtIn(List<String> notes) {
        return new SignatureSet(BUILT_IN, null, List.of(), null, null, List.copyOf(notes));
    }

    /** The databases in {@code directory}: every file ClamAV would load, with what its header says. */
    public static SignatureSet of(
            String source, Path directory, @Nullable String location, @Nullable Instant fetchedAt, List<String> notes)
            throws IOException {
        List<Database> databases = new ArrayList<>();
        for (var file : databaseFiles(directory)) {
            databases.add(read(file));
        }
        return new SignatureSet(source, directory, List.copyOf(databases), location, fetchedAt, List.copyOf(notes));
    }

    /** The database files directly in {@code directory}, by name. */
    public static List<Path> databaseFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> DATABASE_EXTENSIONS.contains(
                            extension(f.getFileName().toString())))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
    }

    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /**
     * A database file's header: {@code ClamAV-VDB:<build time>:<version>:<signatures>:<functionality
     * level>:<md5>:<digital signature>:<builder>:<build time in seconds since 1970>}, 512 bytes padded with blanks.
     */
    static Database read(Path file) throws IOException {
        var name = file.getFileName().toString();
        if (!Set.of("cvd", "cld", "cud").contains(extension(name))) {
            return new Database(name, null, null, null);
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(512);
        }
        return parse(name, head);
    }

    /** A database from its name and the first 512 bytes of its file. */
    static Database parse(String name, byte[] head) {
        if (!Set.of("cvd", "cld", "cud").contains(extension(name))) {
            return new Database(name, null, null, null);
        }
        var fields = new String(head, StandardCharsets.US_ASCII).strip().split(":");
        if (fields.length < 9 || !fields[0].equals("ClamAV-VDB")) {
            return new Database(name, null, null, null);
        }
        return new Database(name, number(fields[2]), number(fields[3]), seconds(fields[8].strip()));
    }

    private static @Nullable Long number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static @Nullable Instant seconds(String text) {
        var value = number(text);
        return value == null ? null : Instant.ofEpochSecond(value);
    }

    /** The newest build time of a database with a header: when ClamAV (or the mirror's builder) made them. */
    public @Nullable Instant builtAt() {
        return databases.stream()
                .map(Database::builtAt)
                .filter(java.util.Objects::nonNull)
                .max(Comparator.naturalOrder())
                .orElse(null);
    }

    /** The time the set's age runs from: its newest build time, or (plain signature files only) its fetch time. */
    public @Nullable Instant datedAt() {
        var built = builtAt();
        return built != null ? built : databases.isEmpty() ? null : fetchedAt;
    }

    /** E.g. {@code daily 27001, main 62, bytecode 335}; {@code built-in} for none. */
    public String version() {
        if (databases.isEmpty()) {
            return BUILT_IN;
        }
        return String.join(
                ", ",
                databases.stream()
                        .map(d -> {
                            var base = d.name().substring(0, d.name().lastIndexOf('.'));
                            return d.version() == null ? d.name() : base + " " + d.version();
                        })
                        .toList());
    }
}
