package io.cloudconnector.integrity.scan;

import io.cloudconnector.filesystems.ByteSource;
import io.cloudconnector.filesystems.FileData;
import io.cloudconnector.filesystems.FileEntry;
import io.cloudconnector.filesystems.FileSystem;
import io.cloudconnector.filesystems.Finding;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** The plain files of a tree recovery point (a directory backup), scanned like files of a file system. */
final class TreeFileSystem implements FileSystem {

    private final List<FileEntry> files;
    private final Function<String, ByteSource> opener;

    TreeFileSystem(List<FileEntry> files, Function<String, ByteSource> opener) {
        this.files = List.copyOf(files);
        this.opener = opener;
    }

    @Override
    public String type() {
        return "tree";
    }

    @Override
    public List<Finding> findings() {
        return List.of();
    }

    @Override
    public void walk(Consumer<FileEntry> visitor, Consumer<Finding> problems) {
        files.forEach(visitor);
    }

    @Override
    public FileData open(FileEntry file) {
        return FileData.whole(opener.apply(file.path()));
    }
}
