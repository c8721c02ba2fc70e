package io.cloudconnector.backgroundjobs.files;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.job.JobContext;
import io.cloudconnector.backgroundjobs.job.JobFailure;
import io.cloudconnector.backgroundjobs.job.JobWork;
import io.cloudconnector.backgroundjobs.recoverypoint.RecoveryPointStore;
import io.cloudconnector.backgroundjobs.recoverypoint.RestoreSource;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.backgroundjobs.vault.VaultRepositories;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.event.ProgressUnits;
import io.cloudconnector.filesystems.Browsable;
import io.cloudconnector.filesystems.CorruptFileSystemException;
import io.cloudconnector.filesystems.FileData;
import io.cloudconnector.filesystems.Node;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A files restore: the files and subtrees a request named, read from the recovery point as browsing reads them (only
 * their blocks), written to the customer's bucket under the prefix, each at its path in the volume ({@code
 * prefix/etc/hostname}). Every object carries its entry's metadata: {@code x-amz-meta-mode} (octal), {@code -uid},
 * {@code -gid}, {@code -mtime} (ISO-8601 UTC, with the fraction the file system keeps) and {@code -type}; a directory
 * is an empty object whose key ends in {@code /}; a symbolic link an empty object with {@code -symlink-target}
 * (percent-encoded UTF-8). Devices, fifos and sockets are not written. A file larger than the part size (default 8
 * MiB) is uploaded in parts, one part in memory at a time; a failed upload is aborted. Progress: bytes of file content,
 * with files (and directories and links) as the second count. A repeated run writes every object again (the same
 * bytes and metadata), so it is safe.
 */
@Component
class FilesRestoreWork implements JobWork {

    private static final Logger log = LoggerFactory.getLogger(FilesRestoreWork.class);
    /** S3's smallest part (every part but the last) and its longest key. */
    static final int MIN_PART = 5 << 20;

    private static final int MAX_KEY_BYTES = 1024;
    private static final int MAX_DEPTH = 256;

    private final RecoveryPointStore points;
    private final VaultDirectory vaults;
    private final VaultRepositories repositories;
    private final AwsClients clients;
    private final int partSize;
    private final int readers;

    FilesRestoreWork(
            RecoveryPointStore points,
            VaultDirectory vaults,
            VaultRepositories repositories,
            AwsClients clients,
            @Value("${connector.files.restore.part-size:8388608}") int partSize,
            @Value("${connector.files.readers-per-point:4}") int readers) {
        this.points = points;
        this.vaults = vaults;
        this.repositories = repositories;
        this.clients = clients;
        this.partSize = Math.max(MIN_PART, partSize);
        this.readers = readers;
    }

    @Override
    public Set<JobKind> kinds() {
        return Set.of(JobKind.FILES_RESTORE);
    }

    @Override
    public JobResult run(JobContext context) {
        var job = context.job();
        var source = RestoreSource.of(job, points, vaults);
        var point = source.point();
        var vault = source.vault();
        String volume = Objects.requireNonNull(job.parameter(FilesRestores.VOLUME));
        String bucket = Objects.requireNonNull(job.parameter(FilesRestores.BUCKET));
        String prefix = prefix(job.parameter(FilesRestores.PREFIX));
        if (bucket.equals(vault.bucketName()) || bucket.startsWith(context.connectorId() + "-")) {
            throw new JobFailure(
                    "bucket-refused", "Bucket " + bucket + " is the connector's own: restore into a bucket of yours");
        }
        var opened = OpenedPoint.open(repositories.open(vault), point, readers);
        try {
            var fs = opened.volume(volume)
                    .map(BrowsableVolume::browsable)
                    .orElseThrow(() -> new JobFailure(
                            "volume-unreadable", "Volume " + volume + " of " + point.id() + " cannot be browsed"));
            var plan = plan(context, fs, FilesRestores.paths(job.parameters()), prefix);
            long total = plan.values().stream()
                    .filter(n -> n.type() == Node.Type.FILE)
                    .mapToLong(Node::size)
                    .sum();
            var s3 = clients.in(vault.region()).s3();
            long[] done = {0};
            int objects = 0;
            context.secondary(ProgressUnits.FILES, 0, plan.size());
            context.reportNow(0, total);
            var buffer = new byte[(int) Math.min(partSize, Math.max(1, maxFile(plan)))];
            for (var entry : plan.entrySet()) {
                context.checkpoint();
                write(context, s3, fs, bucket, entry.getKey(), entry.getValue(), buffer, done, total);
                objects++;
                context.secondary(ProgressUnits.FILES, objects, plan.size());
                context.progress().progressed(done[0], total);
            }
            context.reportNow(done[0], total);
            log.info(
                    "Restored {} object(s), {} bytes of {} {} to s3://{}/{}",
                    objects,
                    done[0],
                    point.id(),
                    volume,
                    bucket,
                    prefix);
            return new JobResult(null, null, null, null, null);
        } finally {
            opened.close();
        }
    }

    private static String prefix(@Nullable String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return "";
        }
        String trimmed = prefix.startsWith("/") ? prefix.substring(1) : prefix;
        return trimmed.isEmpty() || trimmed.endsWith("/") ? trimmed : trimmed + "/";
    }

    /**
     * Every entry to write, by object key, in path order: each named path, and under a directory its whole subtree
     * (a path named twice, or inside another named directory, is written once). Keys longer than S3 allows fail the
     * job before anything is written.
     */
    private static Map<String, Node> plan(JobContext context, Browsable fs, List<String> paths, String prefix) {
        Map<String, Node> plan = new LinkedHashMap<>();
        for (String path : paths) {
            var node = read(path, () -> fs.resolve(path))
                    .orElseThrow(
                            () -> new JobFailure("path-not-found", "No file or directory " + path + " in the volume"));
            add(context, fs, node, prefix, plan, new HashSet<>(), 0);
        }
        return plan;
    }

    private static void add(
            JobContext context,
            Browsable fs,
            Node node,
            String prefix,
            Map<String, Node> plan,
            Set<Long> ancestors,
            int depth) {
        context.checkpoint();
        if (node.type() == Node.Type.OTHER) {
            return;
        }
        String key = prefix
                + node.path().substring(1)
                + (node.directory() && !node.path().equals("/") ? "/" : "");
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new JobFailure(
                    "key-too-long", "The object key for " + node.path() + " would be longer than S3's 1024 bytes");
        }
        if (!key.isEmpty()) {
            plan.putIfAbsent(key, node);
        }
        if (!node.directory()) {
            return;
        }
        if (depth > MAX_DEPTH || !ancestors.add(node.reference())) {
            throw new JobFailure("file-system-damaged", node.path() + ": directories nest in a loop or too deep");
        }
        var children = new ArrayList<>(read(node.path(), () -> fs.list(node)));
        children.sort(Comparator.comparing(Node::name));
        for (var child : children) {
            add(context, fs, child, prefix, plan, ancestors, depth + 1);
        }
        ancestors.remove(node.reference());
    }

    private static long maxFile(Map<String, Node> plan) {
        return plan.values().stream()
                .filter(n -> n.type() == Node.Type.FILE)
                .mapToLong(Node::size)
                .max()
                .orElse(0);
    }

    /** The metadata every object carries. */
    static Map<String, String> metadata(Node node) {
        var view = FileView.of(node);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("type", view.type());
        metadata.put("mode", view.mode());
        metadata.put("uid", Long.toString(view.uid()));
        metadata.put("gid", Long.toString(view.gid()));
        metadata.put("mtime", view.modifiedAt().toString());
        String target = node.target();
        if (target != null) {
            metadata.put("symlink-target", URLEncoder.encode(target, StandardCharsets.UTF_8));
        }
        return metadata;
    }

    private void write(
            JobContext context,
            S3Client s3,
            Browsable fs,
            String bucket,
            String key,
            Node node,
            byte[] buffer,
            long[] done,
            long total) {
        var metadata = metadata(node);
        try {
            if (node.type() != Node.Type.FILE) {
                s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata), RequestBody.empty());
                return;
            }
            FileData data = read(node.path(), () -> fs.content(node));
            long size = data.size();
            if (size <= partSize) {
                int n = (int) size;
                read(node.path(), () -> {
                    FileStreams.readFully(data, 0, buffer, n);
                    return n;
                });
                s3.putObject(
                        b -> b.bucket(bucket).key(key).metadata(metadata).contentLength(size),
                        RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, n)));
                done[0] += size;
                return;
            }
            String upload = s3.createMultipartUpload(
                            b -> b.bucket(bucket).key(key).metadata(metadata))
                    .uploadId();
            try {
                List<CompletedPart> parts = new ArrayList<>();
                for (long at = 0; at < size; at += partSize) {
                    context.checkpoint();
                    int n = (int) Math.min(partSize, size - at);
                    long from = at;
                    read(node.path(), () -> {
                        FileStreams.readFully(data, from, buffer, n);
                        return n;
                    });
                    int number = parts.size() + 1;
                    var etag = s3.uploadPart(
                                    b -> b.bucket(bucket)
                                            .key(key)
                                            .uploadId(upload)
                                            .partNumber(number)
                                            .contentLength((long) n),
                                    RequestBody.fromInputStream(new java.io.ByteArrayInputStream(buffer, 0, n), n))
                            .eTag();
                    parts.add(CompletedPart.builder()
                            .partNumber(number)
                            .eTag(etag)
                            .build());
                    done[0] += n;
                    context.progress().progressed(done[0], total);
                }
                s3.completeMultipartUpload(
                        b -> b.bucket(bucket).key(key).uploadId(upload).multipartUpload(m -> m.parts(parts)));
            } catch (RuntimeException e) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(upload));
                } catch (RuntimeException abort) {
                    e.addSuppressed(abort);
                }
                throw e;
            }
        } catch (S3Exception e) {
            throw s3Failure(bucket, key, e);
        }
    }

    private static JobFailure s3Failure(String bucket, String key, S3Exception e) {
        var details = e.awsErrorDetails();
        String why =
                details == null ? String.valueOf(e.getMessage()) : details.errorCode() + ": " + details.errorMessage();
        return new JobFailure(
                "bucket-unwritable", "s3://" + bucket + "/" + key + " cannot be written (" + why + ")", e);
    }

    private static <T> T read(String path, java.util.function.Supplier<T> reading) {
        try {
            return reading.get();
        } catch (CorruptFileSystemException e) {
            throw new JobFailure(
                    "file-system-damaged",
                    path + " cannot be read, the file system is damaged there: " + e.getMessage());
        }
    }
}
