package io.cloudconnector.integrity.signatures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The copies of ClamAV's databases in the connector's bucket: {@code <prefix><yyyyMMddTHHmmssZ>/<file>}, one
 * folder per update, and {@code <prefix><time>/complete} written last — a copy without it (an update that died
 * while uploading) is never used. Copies are never overwritten; the newest complete one is what scanners load.
 */
public final class SignatureStore {

    static final String COMPLETE = "complete";
    static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public SignatureStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** One stored copy: its key prefix and when it was fetched. */
    public record Copy(String key, Instant fetchedAt) {}

    public String bucket() {
        return bucket;
    }

    /** The newest complete copy, if any. */
    public Optional<Copy> newest() {
        List<String> folders = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix).delimiter("/")).stream()
                .flatMap(page -> page.commonPrefixes().stream())
                .map(CommonPrefix::prefix)
                .forEach(folders::add);
        folders.sort(Comparator.reverseOrder());
        for (var folder : folders) {
            var stamp = folder.substring(prefix.length(), folder.length() - 1);
            Instant fetched;
            try {
                fetched = Instant.from(STAMP.parse(stamp));
            } catch (java.time.DateTimeException e) {
                continue; // not one of ours
            }
            try {
                s3.headObject(b -> b.bucket(bucket).key(folder + COMPLETE));
                return Optional.of(new Copy(folder, fetched));
            } catch (NoSuchKeyException e) {
                // an upload that did not finish
            } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
                if (e.statusCode() != 404) {
                    throw e;
                }
            }
        }
        return Optional.empty();
    }

    /** Downloads a copy's database files into {@code directory} (created), then marks it complete there. */
    public void download(Copy copy, Path directory) {
        try {
            Files.createDirectories(directory);
            List<S3Object> objects = s3
                    .listObjectsV2Paginator(b -> b.bucket(bucket).prefix(copy.key()))
                    .stream()
                    .flatMap(page -> page.contents().stream())
                    .toList();
            for (var object : objects) {
                var name = object.key().substring(copy.key().length());
                if (name.equals(COMPLETE) || name.contains("/") || name.isEmpty()) {
                    continue;
                }
                var target = directory.resolve(name);
                Files.deleteIfExists(target);
                s3.getObject(b -> b.bucket(bucket).key(object.key()), target);
            }
            Files.writeString(directory.resolve(COMPLETE), copy.key(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the signatures under " + directory, e);
        }
    }

    /** Stores the database files of {@code directory} as a new copy fetched at {@code fetchedAt}. */
    public Copy upload(Path directory, Instant fetchedAt) {
        var folder = prefix + STAMP.format(fetchedAt) + "/";
        try {
            List<String> names = new ArrayList<>();
            for (var file : SignatureSet.databaseFiles(directory)) {
                var name = file.getFileName().toString();
                s3.putObject(b -> b.bucket(bucket).key(folder + name), RequestBody.fromFile(file));
                names.add(name);
            }
            s3.putObject(
                    b -> b.bucket(bucket).key(folder + COMPLETE).contentType("text/plain"),
                    RequestBody.fromString(String.join("\n", names) + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the signatures in " + directory, e);
        }
        return new Copy(folder, fetchedAt);
    }
}
