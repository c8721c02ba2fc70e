package io.cloudconnector.integrity.scan.detect;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ransomware signs that need no signature: how random a file's bytes are (Shannon entropy), whether its
 * first bytes match what its extension promises (encrypted files keep their names but lose their magic
 * numbers), ransom-note file names, and extensions that ransomware families append.
 */
public final class Heuristics {

    /** At or above this many bits per byte a file looks encrypted (or compressed). */
    public static final double HIGH_ENTROPY = 7.5;
    /** Below this a file was plainly not encrypted (text, uncompressed documents). */
    public static final double LOW_ENTROPY = 6.5;
    /** Entropy estimates of smaller files say little. */
    public static final int MIN_ENTROPY_BYTES = 4096;

    private static final Map<String, byte[][]> MAGIC = Map.ofEntries(
            Map.entry("pdf", new byte[][] {"%PDF".getBytes()}),
            Map.entry("png", new byte[][] {{(byte) 0x89, 'P', 'N', 'G'}}),
            Map.entry("jpg", new byte[][] {{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}}),
            Map.entry("jpeg", new byte[][] {{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}}),
            Map.entry("gif", new byte[][] {"GIF8".getBytes()}),
            Map.entry("zip", new byte[][] {{'P', 'K', 3, 4}, {'P', 'K', 5, 6}}),
            Map.entry("docx", new byte[][] {{'P', 'K', 3, 4}}),
            Map.entry("xlsx", new byte[][] {{'P', 'K', 3, 4}}),
            Map.entry("pptx", new byte[][] {{'P', 'K', 3, 4}}),
            Map.entry("odt", new byte[][] {{'P', 'K', 3, 4}}),
            Map.entry("jar", new byte[][] {{'P', 'K', 3, 4}}),
            Map.entry("doc", new byte[][] {{(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0}}),
            Map.entry("xls", new byte[][] {{(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0}}),
            Map.entry("ppt", new byte[][] {{(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0}}),
            Map.entry("gz", new byte[][] {{0x1F, (byte) 0x8B}}),
            Map.entry("7z", new byte[][] {{'7', 'z', (byte) 0xBC, (byte) 0xAF}}),
            Map.entry("rar", new byte[][] {"Rar!".getBytes()}),
            Map.entry("bmp", new byte[][] {"BM".getBytes()}),
            Map.entry("exe", new byte[][] {"MZ".getBytes()}),
            Map.entry("dll", new byte[][] {"MZ".getBytes()}),
            Map.entry("sqlite", new byte[][] {"SQLite format 3".getBytes()}),
            Map.entry("db", new byte[][] {"SQLite format 3".getBytes()}));

    private static final Set<String> TEXT = Set.of(
            "txt",
            "csv",
            "log",
            "md",
            "json",
            "xml",
            "html",
            "htm",
            "ini",
            "conf",
            "cfg",
            "yaml",
            "yml",
            "sql",
            "py",
            "java",
            "c",
            "h",
            "js",
            "ts",
            "sh",
            "ps1",
            "bat",
            "rtf",
            "tex",
            "properties",
            "toml",
            "go",
            "rb",
            "php",
            "css",
            "eml");

    /** Extensions ransomware families append; generic short ones (.enc, .abc) are left out on purpose. */
    private static final Set<String> RANSOM_EXTENSIONS = Set.of(
            "locked",
            "encrypted",
            "crypt",
            "crypted",
            "cry",
            "crypto",
            "cerber",
            "cerber3",
            "locky",
            "zepto",
            "odin",
            "thor",
            "aesir",
            "wncry",
            "wnry",
            "wcry",
            "wncryt",
            "ryk",
            "ryuk",
            "conti",
            "lockbit",
            "akira",
            "basta",
            "hive",
            "royal",
            "blackbyte",
            "djvu",
            "crypz",
            "cryp1",
            "sage",
            "globe",
            "petya",
            "gandcrab",
            "krab",
            "phobos",
            "makop",
            "ragnar",
            "avaddon",
            "babyk",
            "medusa",
            "rhysida",
            "play",
            "cuba",
            "maze",
            "egregor",
            "revil",
            "sodinokibi",
            "lockergoga",
            "clop",
            "ciop");

    private static final Pattern RANSOM_NOTE = Pattern.compile(
            "(how|help)[_\\- ]?(to)?[_\\- ]?(decrypt|restore|recover|unlock)"
                    + "|decrypt[_\\- ]?(instructions?|files|info|me)"
                    + "|(restore|recover)[_\\- ]?(my|your|all)?[_\\- ]?files"
                    + "|read[_\\- ]?me.*(decrypt|locked|encrypted|recover|ransom)"
                    + "|(decrypt|locked|encrypted|recover|ransom).*read[_\\- ]?me"
                    + "|^_readme\\.txt$|^!+.*(read|important).*!+|ransom|your[_\\- ]?files[_\\- ]?(are|were)",
            Pattern.CASE_INSENSITIVE);

    private Heuristics() {}

    /** Shannon entropy in bits per byte of bytes with this histogram. */
    public static double entropy(long[] histogram, long total) {
        if (total == 0) {
            return 0;
        }
        double bits = 0;
        for (long count : histogram) {
            if (count > 0) {
                double p = (double) count / total;
                bits -= p * Math.log(p) / Math.log(2);
            }
        }
        return bits;
    }

    /** The lower-case extension of a file name, or "" when it has none. */
    public static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 || dot == fileName.length() - 1
                ? ""
                : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The name without its directory. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Whether the file's type is text, which is never near-random. */
    public static boolean textType(String fileName) {
        return TEXT.contains(extension(fileName));
    }

    /** Whether the extension promises a magic number, so that its absence means something. */
    public static boolean hasKnownMagic(String fileName) {
        return MAGIC.containsKey(extension(fileName));
    }

    /** A message when the first bytes are not what the extension promises. */
    public static Optional<String> magicMismatch(String fileName, byte[] head) {
        var expected = MAGIC.get(extension(fileName));
        if (expected == null || head.length == 0) {
            return Optional.empty();
        }
        for (var magic : expected) {
            if (startsWith(head, magic)) {
                return Optional.empty();
            }
        }
        return Optional.of("content does not start like a ." + extension(fileName) + " file");
    }

    /** Whether the name is a known ransom-note name. */
    public static boolean ransomNoteName(String fileName) {
        var ext = extension(fileName);
        boolean noteLike = ext.isEmpty()
                || Set.of("txt", "html", "htm", "hta", "rtf", "url").contains(ext);
        return noteLike && RANSOM_NOTE.matcher(fileName).find();
    }

    /** The ransomware extension the name ends with, if any. */
    public static Optional<String> ransomExtension(String fileName) {
        var ext = extension(fileName);
        return RANSOM_EXTENSIONS.contains(ext) ? Optional.of("." + ext) : Optional.empty();
    }

    /**
     * Whether a file looks encrypted: near-random bytes where its type promises otherwise (text, or a format
     * whose magic number is missing). Compressed formats with intact magic numbers are not.
     */
    public static boolean looksEncrypted(String fileName, long size, double entropy, byte[] head) {
        if (size < MIN_ENTROPY_BYTES || entropy < HIGH_ENTROPY) {
            return false;
        }
        return textType(fileName)
                || magicMismatch(fileName, head).isPresent()
                || ransomExtension(fileName).isPresent();
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
