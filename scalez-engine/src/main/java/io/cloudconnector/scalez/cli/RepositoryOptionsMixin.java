package io.cloudconnector.scalez.cli;

import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.blob.BlobStore;
import io.cloudconnector.scalez.blob.FileSystemBlobStore;
import io.cloudconnector.scalez.blob.RetryingBlobStore;
import io.cloudconnector.scalez.blob.S3BlobStore;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.model.RepositorySettings;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import io.cloudconnector.scalez.repo.lock.DynamoDbLocks;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/** The options every command takes to reach and unlock a repository. */
final class RepositoryOptionsMixin {

    @Option(
            names = "--repo",
            required = true,
            description = "Repository: a directory or s3://bucket/prefix (endpoint from AWS_ENDPOINT_URL).")
    String repo;

    @Option(names = "--password-file", description = "File whose first line is the passphrase (else SCALEZ_PASSWORD).")
    @Nullable
    Path passwordFile;

    @Option(
            names = "--kms-key",
            description = "KMS key id or ARN wrapping the repository key (instead of a passphrase).")
    @Nullable
    String kmsKey;

    @Option(
            names = "--vault",
            defaultValue = "standalone",
            description = "Vault name in the KMS encryption context (default: ${DEFAULT-VALUE}).")
    String vault;

    @Option(names = "--workers", description = "Worker threads (default: one per core).")
    @Nullable
    Integer workers;

    @Option(
            names = "--lock-ttl-seconds",
            description = "How long a lock this command holds outlives the command if it is killed (default 600;"
                    + " the holder refreshes it every third of that).")
    @Nullable
    Integer lockTtlSeconds;

    @Option(
            names = "--lock-table",
            description = "DynamoDB table holding the repository's locks (a vault's table;"
                    + " else SCALEZ_LOCK_TABLE; endpoint from AWS_ENDPOINT_URL). Every client of one repository must use the"
                    + " same: without it, lock objects under locks/ in the repository.")
    @Nullable
    String lockTable;

    BlobStore store() {
        if (repo.startsWith("s3://")) {
            return new RetryingBlobStore(S3BlobStore.open(URI.create(repo)));
        }
        return new FileSystemBlobStore(Path.of(repo));
    }

    KeyCredential credential() {
        if (kmsKey != null) {
            var builder = KmsClient.builder()
                    .credentialsProvider(DefaultCredentialsProvider.builder().build());
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
        if (lockTtlSeconds != null) {
            if (lockTtlSeconds < 3) {
                throw new IllegalArgumentException("--lock-ttl-seconds must be at least 3");
            }
            options = options.withLockTtl(java.time.Duration.ofSeconds(lockTtlSeconds));
        }
        return workers != null ? options.withWorkers(workers) : options;
    }

    /** The DynamoDB lock table: {@code --lock-table}, else {@code SCALEZ_LOCK_TABLE}, else none. */
    @Nullable
    String lockTable() {
        return firstNonBlank(lockTable, System.getenv("SCALEZ_LOCK_TABLE"));
    }

    /**
     * A DynamoDB client for the lock table, built like the S3 client: region and endpoint from the environment
     * ({@code aws.endpointUrlDynamodb}/{@code AWS_ENDPOINT_URL_DYNAMODB}, else {@code aws.endpointUrl}/
     * {@code AWS_ENDPOINT_URL}), default credentials, bounded call times.
     */
    static DynamoDbClient dynamoDbClient() {
        var builder = DynamoDbClient.builder()
                .region(region())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .httpClientBuilder(ApacheHttpClient.builder().connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(
                        c -> c.apiCallAttemptTimeout(Duration.ofSeconds(10)).apiCallTimeout(Duration.ofSeconds(30)));
        var endpoint = firstNonBlank(
                firstNonBlank(
                        System.getProperty("aws.endpointUrlDynamodb"), System.getenv("AWS_ENDPOINT_URL_DYNAMODB")),
                firstNonBlank(System.getProperty("aws.endpointUrl"), System.getenv("AWS_ENDPOINT_URL")));
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }

    /** An open repository, the store this command opened for it and the lock table's client, closed together. */
    record Session(
            Repository repository,
            BlobStore store,
            @Nullable DynamoDbClient lockClient) implements AutoCloseable {
        @Override
        public void close() {
            try {
                store.close();
            } finally {
                if (lockClient != null) {
                    lockClient.close();
                }
            }
        }
    }

    /** The store, and the options with DynamoDB locks when a lock table is given; closes what it opened on failure. */
    private Session open(RepositoryOptions options, boolean init) {
        var table = lockTable();
        DynamoDbClient client = null;
        BlobStore store = null;
        try {
            if (table != null && options.locks() == null) {
                client = dynamoDbClient();
                options = options.withLocks(
                        new DynamoDbLocks(client, table, options.clock(), options.lockTtl(), options.lockWait()));
            }
            store = store();
            var repository = init
                    ? Repository.init(store, credential(), RepositorySettings.defaults(), options)
                    : Repository.open(store, credential(), options);
            return new Session(repository, store, client);
        } catch (RuntimeException e) {
            if (store != null) {
                store.close();
            }
            if (client != null) {
                client.close();
            }
            throw e;
        }
    }

    Session open() {
        return open(options());
    }

    /** Opens the repository with these options instead of the command's own. */
    Session open(RepositoryOptions options) {
        return open(options, false);
    }

    Session init() {
        return open(options(), true);
    }
}
