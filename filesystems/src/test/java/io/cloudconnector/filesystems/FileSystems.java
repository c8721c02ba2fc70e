package io.cloudconnector.filesystems;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What tests read out of a file system: every file with the SHA-256 of its content, and the problems met. */
final class FileSystems {

    private FileSystems() {}

    record Walk(Map<String, String> sha256, List<Finding> problems) {}

    static FileSystem open(ByteSource volume) {
        var content = Disks.open(volume, "test");
        if (content instanceof Disks.Readable(var fs)) {
            return fs;
        }
        throw new AssertionError("not readable: " + content);
    }

    static Walk read(FileSystem fs) {
        Map<String, String> files = new TreeMap<>();
        List<Finding> problems = new ArrayList<>();
        fs.walk(file -> files.put(file.path(), sha256(fs.open(file))), problems::add);
        return new Walk(files, problems);
    }

    static String sha256(FileData data) {
        try {
            var digest = MessageDigest.getInstance("SHA-256");
            var buffer = new byte[1 << 20];
            for (long at = 0; at < data.size(); ) {
                int n = data.read(at, buffer, 0, buffer.length);
                digest.update(buffer, 0, n);
                at += n;
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
