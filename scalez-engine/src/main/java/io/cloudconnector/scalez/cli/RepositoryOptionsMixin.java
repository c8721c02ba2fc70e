package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.blob.RetryingBlobStore;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import io.cloudconnector.scalez.repo.RepositorySettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.kms.KmsClient;

/** The options every command takes to reach and unlock a repository. */
final class RepositoryOptionsMixin {

    @Option(names = "--repo", required = true, description = "Repository: a directory or s3://bucket/prefix (endpoint from AWS_ENDPOINT_URL).")
    String repo;

    @Option(names = "--password-file", description = "File whose first line is the passphrase (else SCALEZ_PASSWORD).")
    @Nullable Path passwordFile;

    @Option(names = "--kms-key", description = "KMS key id or ARN wrapping the repository key (instead of a passphrase).")
    @Nullable String kmsKey;

    @Option(names = "--vault", defaultValue = "standalone", description = "Vault name in the KMS encryption context (default: ${DEFAULT-VALUE}).")
    String vault;

    @Option(names = "--workers", description = "Worker threads (default: one per core).")
    @Nullable Integer workers;

    BlobStore store() {
        if (repo.startsWith("s3://")) {
            return new RetryingBlobStore(S3BlobStore.open(URI.create(repo)));
        }
        return new FileSystemBlobStore(Path.of(repo));
    }

    KeyCredential credential() {
        if (kmsKey != null) {
            var builder = KmsClient.builder().credentialsProvider(DefaultCredentialsProvider.builder().build());
            builder.region(region());
            var endpoint = firstNonBlank(System.getProperty("aws.endpointUrl"), System.getenv("AWS_ENDPOINT_URL"));
            if (endpoint != null) {
                builder.endpointOverride(URI.create(endpoint));
            }
            return new KeyCredential.KmsKey(builder.build(), kmsKey, vault);
        }
        return KeyCredential.Passphrase.of(passphrase());
    }

    private static Region region() {
        var configured = firstNonBlank(System.getProperty("aws.region"), System.getenv("AWS_REGION"));
        if (configured != null) {
            return Region.of(configured);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (RuntimeException e) {
            return Region.US_EAST_1;
        }
    }

    private static @Nullable String firstNonBlank(@Nullable String a, @Nullable String b) {
        if (a != null && !a.isBlank()) {
            return a.strip();
        }
        return b != null && !b.isBlank() ? b.strip() : null;
    }

    private String passphrase() {
        if (passwordFile != null) {
            try {
                var lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.getFirst().isEmpty()) {
                    throw new ScalezException("Password file " + passwordFile + " is empty");
                }
                return lines.getFirst();
            } catch (IOException e) {
                throw new ScalezException("Cannot read password file " + passwordFile + ": " + e.getMessage(), e);
            }
        }
        var env = System.getenv("SCALEZ_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env;
        }
        var console = System.console();
        if (console != null && console.isTerminal()) {
            var typed = console.readPassword("Passphrase for %s: ", repo);
            if (typed != null && typed.length > 0) {
                return new String(typed);
            }
        }
        throw new ScalezException("No passphrase: use --password-file, SCALEZ_PASSWORD or --kms-key");
    }

    RepositoryOptions options() {
        var options = RepositoryOptions.defaults();
        return workers != null ? options.withWorkers(workers) : options;
    }

    /** An open repository and the store this command opened for it, closed together. */
    record Session(Repository repository, BlobStore store) implements AutoCloseable {
        @Override
        public void close() {
            store.close();
        }
    }

    Session open() {
        return open(options());
    }

    /** Opens the repository with these options instead of the command's own. */
    Session open(RepositoryOptions options) {
        var store = store();
        try {
            return new Session(Repository.open(store, credential(), options), store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    Session init() {
        var store = store();
        try {
            return new Session(Repository.init(store, credential(), RepositorySettings.defaults(), options()), store);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }
}
