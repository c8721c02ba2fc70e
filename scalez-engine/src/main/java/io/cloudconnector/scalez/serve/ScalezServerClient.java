package io.cloudconnector.scalez.serve;

import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.remote.RemoteSession;
import io.cloudconnector.scalez.remote.RemoteWriter;
import io.cloudconnector.scalez.remote.RemoteWriterException;
import io.cloudconnector.scalez.remote.RemoteWriterUnavailableException;
import io.cloudconnector.scalez.remote.SealedBlob;
import io.github.resilience4j.core.IntervalFunction;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;

/**
 * A backup's side of the ScaleZ server protocol over HTTPS ({@code java.net.http}): one server at a known endpoint,
 * with its token and the SHA-256 of its certificate. The client trusts exactly that certificate
 * ({@link PinnedCertificate}): a server presenting another one fails the handshake before anything is sent, and
 * counts as a server that does not answer. {@link #open} answers empty when the server does not answer, presents
 * another certificate or refuses (the backup then writes its own packs). Every call has a connect and a request
 * timeout; transient failures (connection errors, 503 busy) are retried with exponential backoff and jitter, a
 * bounded number of times.
 */
public final class ScalezServerClient implements RemoteWriter {

    private static final System.Logger LOG = System.getLogger(ScalezServerClient.class.getName());
    /** TCP connect and TLS handshake together: a cold JVM's first handshake on a busy host can take seconds. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** A commit uploads the server's last pack and an index file: allow for a slow store. */
    private static final Duration COMMIT_TIMEOUT = Duration.ofMinutes(3);

    private static final int ATTEMPTS = 4;
    /** 100 ms doubling to 2 s, each pause ±50 %: the same randomised exponential backoff as the lock wait. */
    private static final IntervalFunction BACKOFF =
            IntervalFunction.ofExponentialRandomBackoff(Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(2));

    private final URI endpoint;
    private final String token;
    private final HttpClient http;

    private ScalezServerClient(URI endpoint, String token, HttpClient http) {
        this.endpoint = endpoint;
        this.token = token;
        this.http = http;
    }

    /**
     * A client of the server at {@code endpoint} (e.g. {@code https://10.0.1.7:7070}) presenting {@code token}, trusting
     * only the certificate whose SHA-256 is {@code certificateSha256} (hex).
     *
     * @throws IllegalArgumentException when the endpoint is not {@code https} or the fingerprint not a SHA-256
     */
    public static ScalezServerClient of(URI endpoint, String token, String certificateSha256) {
        if (!"https".equalsIgnoreCase(endpoint.getScheme())) {
            throw new IllegalArgumentException(
                    "A ScaleZ server is reached over HTTPS only (https://host:port), was " + endpoint);
        }
        var tls = new SSLParameters();
        tls.setProtocols(new String[] {ServerCertificate.PROTOCOL});
        return new ScalezServerClient(
                endpoint,
                token,
                HttpClient.newBuilder()
                        .connectTimeout(CONNECT_TIMEOUT)
                        .version(HttpClient.Version.HTTP_1_1)
                        .sslContext(PinnedCertificate.sslContext(certificateSha256))
                        .sslParameters(tls)
                        .build());
    }

    /** The server's endpoint. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public Optional<RemoteSession> open(String repositoryId, String purpose) {
        var uri =
                endpoint.resolve(Wire.SESSIONS + "?repository=" + encode(repositoryId) + "&purpose=" + encode(purpose));
        HttpResponse<byte[]> response;
        try {
            // One attempt: a server that does not answer now is not worth a backup's wait; it writes by itself.
            response = http.send(
                    request(uri, OPEN_TIMEOUT)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLHandshakeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "The server at {0} is not the registered ScaleZ server ({1}); nothing was sent, the backup"
                            + " writes by itself",
                    endpoint,
                    e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "No ScaleZ server answers at {0} ({1}); the backup writes by itself",
                    endpoint,
                    e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        var session = response.headers().firstValue(Wire.SESSION_HEADER);
        if (response.statusCode() != 201 || session.isEmpty()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "The ScaleZ server at {0} refused a session ({1} {2}); the backup" + " writes by itself",
                    endpoint,
                    response.statusCode(),
                    error(response));
            return Optional.empty();
        }
        LOG.log(
                System.Logger.Level.INFO,
                "Backup through the ScaleZ server at {0}, session {1}",
                endpoint,
                session.get());
        return Optional.of(new HttpSession(endpoint.resolve(Wire.SESSIONS + "/" + session.get() + "/")));
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", "Bearer " + token);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String error(HttpResponse<?> response) {
        return response.headers().firstValue(Wire.ERROR_HEADER).orElse("");
    }

    /** One session: its base URI is {@code <endpoint>/v1/sessions/<id>/}. */
    private final class HttpSession implements RemoteSession {

        private final URI base;
        private volatile boolean ended;

        HttpSession(URI base) {
            this.base = base;
        }

        @Override
        public Set<ObjectId> missing(List<ObjectId> ids) {
            var response = call(
                    request(base.resolve("missing"), REQUEST_TIMEOUT)
                            .header("Content-Type", Wire.OCTETS)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(Wire.ids(ids)))
                            .build(),
                    "missing");
            return new HashSet<>(Wire.ids(response.body()));
        }

        @Override
        public long store(List<SealedBlob> blobs) {
            var response = call(
                    request(base.resolve("blobs"), REQUEST_TIMEOUT)
                            .header("Content-Type", Wire.OCTETS)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(Wire.blobs(blobs)))
                            .build(),
                    "blobs");
            return response.headers().firstValueAsLong(Wire.STORED_HEADER).orElse(0);
        }

        @Override
        public void flush() {
            call(
                    request(base.resolve("flush"), COMMIT_TIMEOUT)
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    "flush");
        }

        @Override
        public void handOff() {
            try {
                call(
                        request(base.resolve("handoff"), COMMIT_TIMEOUT)
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        "handoff");
            } catch (RemoteWriterException e) {
                LOG.log(
                        System.Logger.Level.INFO,
                        "Hand-off not confirmed by {0} ({1}); checking the index files",
                        endpoint,
                        e.getMessage());
            }
            ended = true;
        }

        @Override
        public void commit(String recoveryPointId, byte[] sealedManifest) {
            call(
                    request(base.resolve("commit?recoveryPoint=" + encode(recoveryPointId)), COMMIT_TIMEOUT)
                            .header("Content-Type", Wire.OCTETS)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(sealedManifest))
                            .build(),
                    "commit");
            ended = true;
        }

        @Override
        public void close() {
            if (ended) {
                return;
            }
            ended = true;
            try {
                http.send(request(base, REQUEST_TIMEOUT).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            } catch (IOException e) {
                // The session expires on the server by itself.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private HttpResponse<byte[]> call(HttpRequest request, String what) {
            for (int attempt = 1; ; attempt++) {
                HttpResponse<byte[]> response;
                try {
                    response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                } catch (SSLHandshakeException e) {
                    // Another key answers at the endpoint (the server was replaced): never worth a retry.
                    throw new RemoteWriterUnavailableException(
                            "The server at " + endpoint + " is no longer the registered ScaleZ server; nothing was"
                                    + " sent: " + e.getMessage(),
                            e);
                } catch (IOException e) {
                    if (attempt == ATTEMPTS) {
                        throw new RemoteWriterUnavailableException(
                                "The ScaleZ server at " + endpoint + " did not answer " + what + " after " + ATTEMPTS
                                        + " attempts: " + e,
                                e);
                    }
                    backOff(attempt);
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RemoteWriterException("Interrupted during " + what);
                }
                int status = response.statusCode();
                var error = error(response);
                if (status / 100 == 2) {
                    return response;
                }
                if (status == 503 && error.equals("busy") && attempt < ATTEMPTS) {
                    backOff(attempt);
                    continue;
                }
                var detail = new String(response.body(), StandardCharsets.UTF_8);
                if (status == 503 || error.equals("unknown-session")) {
                    // Draining, or the server restarted: what it took may be durable, the index files will tell.
                    throw new RemoteWriterUnavailableException("The ScaleZ server at " + endpoint + " stopped taking "
                            + what + ": " + status + " " + error + " " + detail);
                }
                throw new RemoteWriterException("The ScaleZ server at " + endpoint + " refused " + what + ": " + status
                        + " " + error + " " + detail);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(BACKOFF.apply(attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteWriterException("Interrupted while backing off");
        }
    }
}
