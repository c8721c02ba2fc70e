package io.cloudconnector.scalez.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.cloudconnector.scalez.backup.BackupOptions;
import io.cloudconnector.scalez.blob.InMemoryBlobStore;
import io.cloudconnector.scalez.internal.Manifest;
import io.cloudconnector.scalez.model.ProgressListener;
import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.remote.RemoteWriterException;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.TestRepositories;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backup through a ScaleZ server that lies: a test double speaking the server's wire protocol over real HTTP, which
 * says it holds every chunk (or takes them and drops them) and acknowledges the commit without storing anything. The
 * backup checks the repository's index files and the manifest itself, fails loudly, and no recovery point appears.
 */
class RogueServerTests {

    private static final String TOKEN = "rogue-server-token";

    private final InMemoryBlobStore store = new InMemoryBlobStore();
    private final AtomicInteger blobsPosted = new AtomicInteger();
    private final AtomicInteger commits = new AtomicInteger();
    private HttpsServer rogue;
    // A rogue has a certificate of its own, which a rogue registration would publish: the pin alone proves nothing.
    private final ServerCertificate rogueCertificate = ServerCertificate.generate();

    /** How the rogue answers {@code missing}. */
    private enum Missing {
        /** "I hold all of them": nothing is sent. */
        NOTHING,
        /** "Send them all", and then drops what it is sent. */
        EVERYTHING
    }

    private URI startRogue(Missing missing) throws IOException {
        rogue = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        rogue.setHttpsConfigurator(new HttpsConfigurator(rogueCertificate.serverContext()));
        rogue.createContext(Wire.SESSIONS, exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                var path = exchange.getRequestURI().getPath();
                if (exchange.getRequestMethod().equals("DELETE")) {
                    exchange.sendResponseHeaders(204, -1);
                } else if (path.equals(Wire.SESSIONS)) {
                    exchange.getResponseHeaders().add(Wire.SESSION_HEADER, "s-rogue");
                    exchange.sendResponseHeaders(201, -1);
                } else if (path.endsWith("/missing")) {
                    answer(exchange, missing == Missing.NOTHING ? new byte[0] : body);
                } else if (path.endsWith("/blobs")) {
                    blobsPosted.incrementAndGet();
                    exchange.getResponseHeaders().add(Wire.STORED_HEADER, String.valueOf(body.length));
                    exchange.sendResponseHeaders(200, -1);
                } else if (path.endsWith("/commit")) {
                    commits.incrementAndGet();
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    // flush, handoff: "done"
                    exchange.sendResponseHeaders(200, -1);
                }
            }
        });
        rogue.start();
        return URI.create("https://127.0.0.1:" + rogue.getAddress().getPort());
    }

    private static void answer(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", Wire.OCTETS);
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @AfterEach
    void stop() {
        if (rogue != null) {
            rogue.stop(0);
        }
    }

    private Repository throughRogue(URI endpoint) {
        return through(endpoint, rogueCertificate.sha256());
    }

    private Repository through(URI endpoint, String certificateSha256) {
        return Repository.open(
                store,
                TestRepositories.PASSPHRASE,
                TestRepositories.options().withRemoteWriter(ScalezServers.at(endpoint, TOKEN, certificateSha256)));
    }

    @Test
    void aServerThatClaimsToHoldEveryChunkFailsTheBackup() throws Exception {
        var local = TestRepositories.init(store);
        var backup = throughRogue(startRogue(Missing.NOTHING));

        assertThatThrownBy(() -> backup.backupStream(
                        new ByteArrayInputStream(TestRepositories.random(1, 3_000_000)), BackupOptions.defaults()))
                .isInstanceOf(RemoteWriterException.class)
                .hasMessageContaining("index files do not list")
                .hasMessageContaining("no recovery point");

        assertThat(blobsPosted)
                .as("nothing was sent: the rogue said it held it all")
                .hasValue(0);
        assertThat(commits).as("the backup failed before committing").hasValue(0);
        assertNoRecoveryPoint(local);
    }

    @Test
    void aServerThatDropsWhatItIsSentFailsTheBackup() throws Exception {
        var local = TestRepositories.init(store);
        var backup = throughRogue(startRogue(Missing.EVERYTHING));

        assertThatThrownBy(() -> backup.backupStream(
                        new ByteArrayInputStream(TestRepositories.random(2, 3_000_000)), BackupOptions.defaults()))
                .isInstanceOf(RemoteWriterException.class)
                .hasMessageContaining("index files do not list");

        assertThat(blobsPosted).as("the chunks were sent, and dropped").hasPositiveValue();
        assertNoRecoveryPoint(local);
        assertThat(store.list("packs/")).isEmpty();
    }

    @Test
    void aCommitAcknowledgedWithoutStoringTheManifestFailsTheBackup() throws Exception {
        // Every chunk is already in the repository, so the index check passes: only the manifest is at stake.
        var local = TestRepositories.init(store);
        var data = TestRepositories.random(3, 3_000_000);
        var first = local.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults());
        var backup = throughRogue(startRogue(Missing.NOTHING));

        assertThatThrownBy(() -> backup.backupStream(new ByteArrayInputStream(data), BackupOptions.defaults()))
                .isInstanceOf(RemoteWriterException.class)
                .hasMessageContaining("acknowledged the commit")
                .hasMessageContaining("did not store it");

        assertThat(commits).hasValue(1);
        assertThat(local.list()).extracting(RecoveryPoint::id).containsExactly(first.id());
    }

    @Test
    void anHonestServerPassesTheSameChecks() throws Exception {
        var local = TestRepositories.init(store);
        var data = TestRepositories.random(4, 3_000_000);
        try (var writer = SharedWriter.open(local, 1);
                var server = ScalezServer.start(
                        writer,
                        ServerOptions.defaults(new InetSocketAddress("127.0.0.1", 0), ServerTokens.sha256(TOKEN)),
                        e -> {})) {
            var point = through(server.endpoint(), server.certificateSha256())
                    .backupStream(new ByteArrayInputStream(data), BackupOptions.defaults());

            assertThat(writer.stats().blobsStored()).isPositive();
            assertThat(local.list()).extracting(RecoveryPoint::id).containsExactly(point.id());
            var restored = new java.io.ByteArrayOutputStream();
            local.restoreStream(point.id(), restored, ProgressListener.NONE);
            assertThat(restored.toByteArray()).isEqualTo(data);
        }
    }

    private void assertNoRecoveryPoint(Repository repository) {
        assertThat(repository.list()).isEmpty();
        assertThat(store.list(Manifest.key(""))).isEmpty();
        assertThat(repository.check().isClean()).isTrue();
    }
}
