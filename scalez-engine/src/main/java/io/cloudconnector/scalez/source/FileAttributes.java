package io.cloudconnector.scalez.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/** POSIX metadata a tree backup keeps: permission bits (with setuid/setgid/sticky), owner, group and times. */
public record FileAttributes(int mode, int uid, int gid, long modifiedNanos, long accessedNanos) {

    /** Reads an entry's attributes without following a symlink. */
    public static FileAttributes read(Path path) throws IOException {
        var a = Files.readAttributes(
                path, "unix:mode,uid,gid,lastModifiedTime,lastAccessTime", LinkOption.NOFOLLOW_LINKS);
        return new FileAttributes(
                (Integer) get(a, "mode") & 07777,
                (Integer) get(a, "uid"),
                (Integer) get(a, "gid"),
                nanos((FileTime) get(a, "lastModifiedTime")),
                nanos((FileTime) get(a, "lastAccessTime")));
    }

    // The unix view returns every attribute it was asked for.
    private static Object get(java.util.Map<String, Object> attributes, String name) {
        return java.util.Objects.requireNonNull(attributes.get(name), name);
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }
}
