package io.cloudconnector.integrity.signatures;

import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.integrity.config.IntegrityProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Which ClamAV databases scans use, and whether they are fresh enough: the newest copy in the connector's bucket
 * (downloaded once per copy into the work directory), else the machine's {@code official-clamav-database}
 * directory, else the built-in test signatures alone.
 */
@Component
public class Signatures {

    private static final Logger log = LoggerFactory.getLogger(Signatures.class);

    private final SignatureStore store;
    private final IntegrityProperties properties;
    private final Clock clock;
    private final Path cache;

    public Signatures(S3Client s3, IntegrityProperties properties, ConnectorProperties connector, Clock clock) {
        var config = properties.signatures();
        var bucket = config.bucket().isBlank() ? connector.id() + "-connector" : config.bucket();
        this.store = new SignatureStore(s3, bucket, config.prefix());
        this.properties = properties;
        this.clock = clock;
        this.cache = properties.scans().workDir().resolve("signatures");
    }

    public SignatureStore store() {
        return store;
    }

    /** How fresh {@code set} is now, by {@code max-signature-age} and {@code accept-built-in}. */
    public Freshness freshness(SignatureSet set) {
        return new Freshness(
                set,
                clock.instant(),
                properties.maxSignatureAge(),
                properties.signatures().acceptBuiltIn());
    }

    /** The signatures for a scan starting now: the bucket's newest copy on local disk, or what else there is. */
    public synchronized SignatureSet forScan() {
        List<String> notes = new ArrayList<>();
        try {
            var newest = store.newest();
            if (newest.isPresent()) {
                var copy = newest.get();
                var folder = copy.key().substring(0, copy.key().length() - 1);
                var local = cache.resolve(folder.substring(folder.lastIndexOf('/') + 1));
                if (!Files.exists(local.resolve(SignatureStore.COMPLETE))) {
                    store.download(copy, local);
                }
                prune(local);
                return SignatureSet.of(
                        SignatureSet.BUCKET,
                        local,
                        "s3://" + store.bucket() + "/" + copy.key(),
                        copy.fetchedAt(),
                        notes);
            }
            notes.add("s3://" + store.bucket() + "/" + properties.signatures().prefix() + " holds no copy yet");
        } catch (SdkException | UncheckedIOException | IOException e) {
            log.warn("The signatures in bucket {} cannot be read", store.bucket(), e);
            notes.add("the connector's bucket " + store.bucket() + " could not be read: " + e.getMessage());
        }
        return local(notes);
    }

    /** The machine's own database directory when it holds databases, else the built-in set. */
    SignatureSet local(List<String> notes) {
        var directory = properties.scans().officialClamavDatabase();
        try {
            if (!SignatureSet.databaseFiles(directory).isEmpty()) {
                return SignatureSet.of(SignatureSet.LOCAL, directory, directory.toString(), null, notes);
            }
        } catch (IOException e) {
            notes.add(directory + " cannot be read: " + e.getMessage());
        }
        return SignatureSet.builtIn(notes);
    }

    /** Removes cached copies other than {@code keep} and the one before it (a scan may still be loading it). */
    private void prune(Path keep) {
        try (var dirs = Files.list(cache)) {
            var older = dirs.filter(d -> !d.equals(keep))
                    .sorted(Comparator.comparing(Path::toString).reversed())
                    .skip(1)
                    .toList();
            for (var dir : older) {
                try (var files = Files.walk(dir)) {
                    for (var file : files.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(file);
                    }
                }
            }
        } catch (IOException e) {
            log.warn("Cannot remove old signature copies under {}", cache, e);
        }
    }
}
