package io.cloudconnector.scalez.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.cloudconnector.scalez.FormatException;
import io.cloudconnector.scalez.Json;
import io.cloudconnector.scalez.ScalezException;
import io.cloudconnector.scalez.model.RecoveryPointIds;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The ScaleZ server: HTTPS in front of a {@link SharedWriter}, the single writer of one repository. Backups open
 * a session, ask which chunk ids it lacks, send only those (sealed), and commit their manifest. Every request but
 * {@code GET /healthz} needs {@code Authorization: Bearer <token>}.
 *
 * <p>TLS 1.3 only, with a key pair the server makes when it starts ({@link ServerCertificate}): its certificate's
 * SHA-256 ({@link #certificateSha256}) is registered with the server and pinned by clients
 * ({@link PinnedCertificate}), so a client talks only to this process.
 *
 * <p>Memory is bounded: request bodies are read whole but only up to {@link ServerOptions#maxRequestBytes} each
 * and {@link ServerOptions#maxInFlightBytes} together (more wait, then get 503 busy), sessions are capped, and the
 * writer holds at most its upload slots plus one pack. {@link #drain} (on SIGTERM) refuses new work, lets requests
 * in progress finish, flushes and indexes everything, answers hand-offs, and stops, within
 * {@link ServerOptions#drainTimeout}.
 *
 * <p>This class is longer than the usual 450 lines because it is the whole HTTP side of the protocol in
 * {@code docs/scalez-server.md} (routing, admission by memory and sessions, drain, and the problem answers), kept in
 * one place so that each state of the server and its answers read together; sessions ({@link Sessions}), the wire
 * format ({@link Wire}) and the writer ({@link SharedWriter}) live apart.
 */
public final class ScalezServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ScalezServer.class.getName());
    /** How long a request waits for memory before it is told the server is busy. */
    private static final Duration BODY_WAIT = Duration.ofSeconds(30);

    /** Where a server is in its life. */
    public enum State {
        /** Taking sessions and blobs. */
        SERVING,
        /** Stopping: taking nothing new, flushing, answering hand-offs. */
        DRAINING,
        /** The writer failed (an upload or index write): nothing it says is trustworthy any more. */
        FAILED,
        /** Stopped. */
        STOPPED
    }

    private final SharedWriter writer;
    private final ServerOptions options;
    /**
     * Whether the exchange this thread handles has had its body read. Not an exchange attribute: the JDK server
     * keeps those in the context, shared by every exchange.
     */
    private static final ThreadLocal<Boolean> BODY_READ = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final HttpsServer http;
    private final ServerCertificate certificate;
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService sweeper;
    private final Sessions sessions;
    private final Semaphore bodyBudget;
    private final AtomicReference<State> state = new AtomicReference<>(State.SERVING);
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private final Instant startedAt;
    private final Consumer<Throwable> onFailure;
    // Requests that write (missing, blobs): a drain waits for them before it flushes. Guarded by this.
    private int writing;
    private volatile Instant lastActivity;

    private ScalezServer(SharedWriter writer, ServerOptions options, Consumer<Throwable> onFailure) throws IOException {
        this.writer = writer;
        this.options = options;
        this.onFailure = onFailure;
        this.sessions = new Sessions(options.clock(), options.sessionTimeout(), options.maxSessions());
        this.bodyBudget = new Semaphore(options.maxInFlightBytes());
        this.startedAt = options.clock().instant();
        this.lastActivity = startedAt;
        this.certificate = ServerCertificate.generate();
        this.http = HttpsServer.create(options.listen(), 0);
        var tls = certificate.serverContext();
        http.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                var ssl = tls.getDefaultSSLParameters();
                ssl.setProtocols(new String[] {ServerCertificate.PROTOCOL});
                ssl.setNeedClientAuth(false);
                parameters.setSSLParameters(ssl);
            }
        });
        http.createContext("/", this::handle);
        http.setExecutor(handlers);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "scalez-server-sessions");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a server for {@code writer}; {@code onFailure} is told when the writer fails (the process should exit
     * so that it is replaced).
     */
    public static ScalezServer start(SharedWriter writer, ServerOptions options, Consumer<Throwable> onFailure) {
        try {
            var server = new ScalezServer(writer, options, onFailure);
            server.http.start();
            long period = Math.max(1000, options.sessionTimeout().toMillis() / 4);
            server.sweeper.scheduleWithFixedDelay(server::expireIdleSessions, period, period, TimeUnit.MILLISECONDS);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + options.listen() + ": " + e.getMessage(), e);
        }
    }

    /** Where clients reach this server, e.g. {@code https://10.0.1.7:7070}; a wildcard address shows as loopback. */
    public URI endpoint() {
        var address = http.getAddress();
        var host = address.getAddress().isAnyLocalAddress()
                ? "127.0.0.1"
                : address.getAddress().getHostAddress();
        return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort());
    }

    /** The SHA-256 of this server's certificate (64 lower-case hex digits): what its registration carries. */
    public String certificateSha256() {
        return certificate.sha256();
    }

    /** Where the server is in its life. */
    public State state() {
        return java.util.Objects.requireNonNull(state.get());
    }

    /** Open sessions. */
    public int sessionCount() {
        return sessions.size();
    }

    /** Completes when the server has stopped. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    /**
     * Ends sessions idle for longer than the session timeout (their backups died) and indexes what they sent,
     * so that nothing they uploaded stays out of the index until the next commit.
     */
    void expireIdleSessions() {
        try {
            if (sessions.expireIdle() > 0 && state.get() == State.SERVING) {
                writer.flush();
            }
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /**
     * Stops gracefully: takes no new sessions, missing-queries or blobs (clients are told {@code draining} and hand
     * off), waits for such requests in progress, flushes and indexes everything, answers hand-offs and commits for
     * a short while, then stops listening. Bounded by {@link ServerOptions#drainTimeout}; safe to call twice.
     */
    public void drain() {
        if (!state.compareAndSet(State.SERVING, State.DRAINING)) {
            stopped.join();
            return;
        }
        var deadline = System.nanoTime() + options.drainTimeout().toNanos();
        LOG.log(System.Logger.Level.INFO, "Draining: {0} sessions open", sessions.size());
        try {
            synchronized (this) {
                while (writing > 0 && System.nanoTime() < deadline) {
                    wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                }
            }
            writer.flush();
            drained.complete(null);
            // Backups in the middle of a chunk learn of the drain at their next call and hand off; give them a
            // moment (at most a fifth of the budget), then stop: a late one checks the index files itself.
            var handOffDeadline = Math.min(
                    deadline, System.nanoTime() + options.drainTimeout().toNanos() / 5);
            while (sessions.size() > 0 && System.nanoTime() < handOffDeadline) {
                synchronized (sessions) {
                    sessions.wait(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained.completeExceptionally(e);
        } catch (RuntimeException e) {
            drained.completeExceptionally(e);
            fail(e);
        } finally {
            stop();
        }
    }

    private void stop() {
        state.compareAndSet(State.DRAINING, State.STOPPED);
        http.stop(0);
        sweeper.shutdownNow();
        handlers.shutdown();
        stopped.complete(null);
        LOG.log(System.Logger.Level.INFO, "Stopped");
    }

    /** Drains and stops. */
    @Override
    public void close() {
        if (state.get() == State.FAILED) {
            stop();
        } else {
            drain();
        }
    }

    private void fail(Throwable e) {
        if (state.getAndSet(State.FAILED) != State.FAILED) {
            LOG.log(System.Logger.Level.ERROR, "The writer failed; refusing all work: " + e, e);
            drained.completeExceptionally(e);
            onFailure.accept(e);
        }
    }

    // --- requests --------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        // The refusals are answered inside the try-with-resources: once the exchange is closed nothing can be sent.
        BODY_READ.set(Boolean.FALSE);
        try (exchange) {
            try {
                serve(exchange);
            } catch (Problem p) {
                problem(exchange, p.status, p.code, p.getMessage());
            } catch (FormatException e) {
                problem(exchange, 400, "malformed", e.getMessage());
            } catch (RejectedWriteException e) {
                problem(exchange, 422, "rejected", e.getMessage());
            } catch (ScalezException | UncheckedIOException e) {
                fail(e);
                problem(exchange, 500, "writer-failed", "The server's writer failed: " + e.getMessage());
            }
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        var path = exchange.getRequestURI().getPath();
        var method = exchange.getRequestMethod();
        if (method.equals("GET") && path.equals(Wire.HEALTH)) {
            var current = state();
            text(exchange, current == State.SERVING ? 200 : 503, current.name().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        if (!authorized(exchange)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            problem(exchange, 401, "unauthorized", "A bearer token for this server is required");
            return;
        }
        lastActivity = options.clock().instant();
        route(exchange, method, path);
    }

    private void route(HttpExchange exchange, String method, String path) throws IOException {
        if (method.equals("GET") && path.equals(Wire.STATUS)) {
            json(exchange, 200, status());
            return;
        }
        if (method.equals("POST") && path.equals(Wire.SESSIONS)) {
            openSession(exchange);
            return;
        }
        if (!path.startsWith(Wire.SESSIONS + "/")) {
            throw new Problem(404, "not-found", "No such resource: " + method + " " + path);
        }
        var rest = path.substring(Wire.SESSIONS.length() + 1);
        int slash = rest.indexOf('/');
        var sessionId = slash < 0 ? rest : rest.substring(0, slash);
        var action = slash < 0 ? "" : rest.substring(slash + 1);
        var session = sessions.touch(sessionId)
                .orElseThrow(() -> new Problem(
                        404,
                        "unknown-session",
                        "No open session " + sessionId + " (it expired, ended, or this server restarted)"));
        switch (method + " " + action) {
            case "POST missing" ->
                writing(exchange, () -> {
                    var missing = writer.missing(Wire.ids(body(exchange)));
                    bytes(exchange, 200, Wire.ids(missing));
                });
            case "POST blobs" ->
                writing(exchange, () -> {
                    long stored = 0;
                    for (var blob : Wire.blobs(body(exchange))) {
                        stored += writer.store(blob);
                    }
                    session.stored(stored);
                    exchange.getResponseHeaders().set(Wire.STORED_HEADER, Long.toString(stored));
                    json(exchange, 200, Map.of("storedBytes", stored));
                });
            case "POST flush" -> {
                awaitFlushed();
                json(exchange, 200, Map.of("session", sessionId, "durable", true));
            }
            case "POST handoff" -> {
                awaitFlushed();
                sessions.end(sessionId);
                json(exchange, 200, Map.of("session", sessionId, "durable", true));
            }
            case "POST commit" -> commit(exchange, session);
            case "DELETE " -> {
                sessions.end(sessionId);
                exchange.sendResponseHeaders(204, -1);
            }
            default -> throw new Problem(405, "method-not-allowed", method + " " + path + " is not an operation");
        }
    }

    private void openSession(HttpExchange exchange) throws IOException {
        requireServing();
        var query = query(exchange);
        var repository = query.getOrDefault("repository", "");
        if (!repository.equals(writer.repositoryId())) {
            throw new Problem(
                    409,
                    "wrong-repository",
                    "This server writes repository " + writer.repositoryId() + ", not '" + repository + "'");
        }
        writer.refresh();
        var session = sessions.open(query.getOrDefault("purpose", ""))
                .orElseThrow(() -> new Problem(503, "busy", "Too many open sessions (" + options.maxSessions() + ")"));
        exchange.getResponseHeaders().set(Wire.SESSION_HEADER, session.id());
        exchange.getResponseHeaders().set(Wire.MAX_REQUEST_HEADER, Integer.toString(options.maxRequestBytes()));
        json(
                exchange,
                201,
                Map.of(
                        "session",
                        session.id(),
                        "repository",
                        writer.repositoryId(),
                        "maxRequestBytes",
                        options.maxRequestBytes()));
    }

    private void commit(HttpExchange exchange, Sessions.Session session) throws IOException {
        var current = state.get();
        if (current == State.FAILED) {
            throw new Problem(500, "writer-failed", "The server's writer failed");
        }
        var recoveryPoint = query(exchange).getOrDefault("recoveryPoint", "");
        if (!RecoveryPointIds.isValid(recoveryPoint)) {
            throw new Problem(
                    400, "malformed", "recoveryPoint must be a recovery point id, was '" + recoveryPoint + "'");
        }
        var manifest = body(exchange);
        if (current == State.DRAINING) {
            awaitFlushed();
        }
        writer.putManifest(recoveryPoint, manifest);
        sessions.end(session.id());
        json(exchange, 200, Map.of("recoveryPoint", recoveryPoint, "storedBytes", session.storedBytes()));
    }

    private interface Body {
        void run() throws IOException;
    }

    /** Runs a missing-query or blob upload, which a drain waits for; refused once the server drains. */
    private void writing(HttpExchange exchange, Body body) throws IOException {
        synchronized (this) {
            requireServing();
            writing++;
        }
        try {
            body.run();
        } finally {
            synchronized (this) {
                writing--;
                notifyAll();
            }
        }
    }

    private void requireServing() {
        switch (state()) {
            case SERVING -> {}
            case FAILED -> throw new Problem(500, "writer-failed", "The server's writer failed");
            default -> throw new Problem(503, "draining", "The server is stopping; hand off and continue without it");
        }
    }

    private void awaitFlushed() {
        var current = state.get();
        if (current == State.SERVING) {
            writer.flush();
            return;
        }
        try {
            drained.get(options.drainTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "draining", "Interrupted while draining");
        } catch (ExecutionException | TimeoutException e) {
            throw new Problem(500, "writer-failed", "The drain did not complete: " + e);
        }
    }

    private boolean authorized(HttpExchange exchange) {
        var header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null
                && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && ServerTokens.matches(header.substring(7).strip(), options.tokenSha256());
    }

    /** The request body, within the memory bounds: its Content-Length is checked before anything is read. */
    private byte[] body(HttpExchange exchange) throws IOException {
        var declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared == null) {
            throw new Problem(411, "length-required", "Requests need a Content-Length");
        }
        long length;
        try {
            length = Long.parseLong(declared.strip());
        } catch (NumberFormatException e) {
            throw new Problem(400, "malformed", "Content-Length is not a number");
        }
        if (length < 0 || length > options.maxRequestBytes()) {
            if (length > 0 && length <= 4L * options.maxRequestBytes()) {
                // Read and dropped through a small buffer, so that the client, still sending, gets the answer:
                // closing on an unread body resets the connection, and the reset can destroy the reply.
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                BODY_READ.set(Boolean.TRUE);
            }
            throw new Problem(413, "too-large", "Requests may carry at most " + options.maxRequestBytes() + " bytes");
        }
        int permits = (int) Math.max(1, length);
        try {
            if (!bodyBudget.tryAcquire(permits, BODY_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                throw new Problem(503, "busy", "The server holds as many request bytes as it may; retry");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "busy", "Interrupted");
        }
        try {
            var bytes = exchange.getRequestBody().readNBytes((int) length);
            if (bytes.length != length) {
                throw new Problem(
                        400, "malformed", "The body ended after " + bytes.length + " of " + length + " bytes");
            }
            BODY_READ.set(Boolean.TRUE);
            return bytes;
        } finally {
            // The bytes live on until the handler is done with them, but the budget bounds concurrent reads; a
            // handler's own copy (the decrypted check) is as short-lived.
            bodyBudget.release(permits);
        }
    }

    private Map<String, Object> status() {
        var stats = writer.stats();
        var out = new LinkedHashMap<String, Object>();
        out.put("repository", writer.repositoryId());
        out.put("state", state().name().toLowerCase(java.util.Locale.ROOT));
        out.put("sessions", sessions.size());
        out.put("chunks", stats.chunks());
        out.put("blobsStored", stats.blobsStored());
        out.put("bytesStored", stats.bytesStored());
        out.put("duplicatesDropped", stats.duplicatesDropped());
        out.put("indexFilesWritten", stats.indexFilesWritten());
        out.put("startedAt", startedAt.toString());
        out.put("lastActivity", lastActivity.toString());
        return out;
    }

    private static Map<String, String> query(HttpExchange exchange) {
        var raw = exchange.getRequestURI().getRawQuery();
        var out = new HashMap<String, String>();
        if (raw == null) {
            return out;
        }
        for (var pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    // --- answers ---------------------------------------------------------------------------------------

    /** A refusal with its status and machine-readable code (the {@code Scalez-Error} header). */
    private static final class Problem extends RuntimeException {
        private final int status;
        private final String code;

        Problem(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    private static void problem(HttpExchange exchange, int status, String code, @Nullable String detail)
            throws IOException {
        exchange.getResponseHeaders().set(Wire.ERROR_HEADER, code);
        if (unreadBody(exchange)) {
            // A refusal may leave the request body unread; the JDK server then drops the connection after the
            // reply, so say so, or a keep-alive client sends its next request into a closed socket.
            exchange.getResponseHeaders().set("Connection", "close");
        }
        var body = new LinkedHashMap<String, Object>();
        body.put("type", "urn:scalez:problem:" + code);
        body.put("title", code);
        body.put("status", status);
        body.put("detail", detail == null ? code : detail);
        send(exchange, status, "application/problem+json", Json.object(body).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean unreadBody(HttpExchange exchange) {
        var declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared == null) {
            return exchange.getRequestHeaders().containsKey("Transfer-Encoding");
        }
        return !declared.strip().equals("0") && !BODY_READ.get();
    }

    private static void json(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        send(exchange, status, "application/json", Json.object(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/plain", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(HttpExchange exchange, int status, byte[] body) throws IOException {
        send(exchange, status, Wire.OCTETS, body);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
