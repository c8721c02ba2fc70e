package io.cloudconnector.scalez.source;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ebs.EbsClient;

/**
 * A local HTTP stub of the EBS direct APIs with real AWS semantics where the emulator has none: pagination,
 * 512 KiB block sizes, changed blocks that exist only in the newer snapshot, and scripted faults (throttling,
 * refusals, damaged data) the emulator cannot produce. Snapshots live in memory.
 */
public final class EbsStub implements AutoCloseable {

    /** One stored snapshot. */
    public static final class Snapshot {
        final long volumeGiB;
        final Map<Long, byte[]> blocks = new ConcurrentHashMap<>();
        final Map<Long, String> tokens = new ConcurrentHashMap<>();
        // What EBS keeps with each block: its checksum, sent back with every read.
        final Map<Long, String> checksums = new ConcurrentHashMap<>();
        volatile String status = "pending";
        volatile String description = "";
        volatile String clientToken = "";
        volatile String tags = "";
        volatile @Nullable Map<String, String> completion;

        Snapshot(long volumeGiB) {
            this.volumeGiB = volumeGiB;
        }

        /** The blocks written, by index. */
        public Map<Long, byte[]> blocks() {
            return new TreeMap<>(blocks);
        }

        /** The headers CompleteSnapshot carried, or null before. */
        public @Nullable Map<String, String> completion() {
            return completion;
        }

        /** pending or completed. */
        public String status() {
            return status;
        }

        /** What StartSnapshot said. */
        public String description() {
            return description;
        }

        /** The StartSnapshot client token. */
        public String clientToken() {
            return clientToken;
        }

        /** The tags as the request's JSON. */
        public String tags() {
            return tags;
        }
    }

    /** A request as received. */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> headers) {}

    private record Fault(int status, String code, boolean corrupt) {}

    private final HttpServer server;
    private final @Nullable Tls tls;
    private final Map<String, Snapshot> snapshots = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentLinkedDeque<Fault>> faults = new ConcurrentHashMap<>();
    // Appended on every request: a copy-on-write list would copy itself each time (quadratic over a long run).
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private final AtomicLong handlerCpuNanos = new AtomicLong();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final AtomicInteger readsInFlight = new AtomicInteger();
    private final AtomicInteger maxReadsInFlight = new AtomicInteger();
    private final AtomicInteger counter = new AtomicInteger();
    private volatile int pageSize = 10_000;
    private volatile @Nullable CountDownLatch readGate;

    public EbsStub() throws IOException {
        this(null);
    }

    private EbsStub(@Nullable Tls tls) throws IOException {
        this.tls = tls;
        var address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls != null) {
            var https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls.context()));
            server = https;
        } else {
            server = HttpServer.create(address, 0);
        }
        server.createContext("/", this::answer);
        var handlers = new AtomicInteger();
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            var t = new Thread(r, "ebs-stub-" + handlers.incrementAndGet());
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /**
     * A stub that speaks HTTPS, as EBS does, with a fresh self-signed certificate for 127.0.0.1 that clients trust
     * through {@link #trustManagers()}. Over plain HTTP the SDK signs request bodies (it hashes every
     * {@code PutSnapshotBlock} body once more), which it does not over HTTPS: benchmarks of the EBS path use this.
     */
    public static EbsStub https() throws IOException {
        return new EbsStub(Tls.generate());
    }

    /** Trust managers that trust this stub's certificate (HTTPS stubs only). */
    public TrustManager[] trustManagers() {
        if (tls == null) {
            throw new IllegalStateException("The stub speaks plain HTTP");
        }
        return tls.trustManagers();
    }

    /** Where the stub listens. */
    public URI endpoint() {
        return URI.create((tls != null ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort());
    }

    /** A client for the stub with the SDK's retries off (the source and sink retry themselves). */
    public EbsClient client() {
        return EbsClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(ApacheHttpClient.builder())
                .overrideConfiguration(c -> c.retryStrategy(r -> r.maxAttempts(1)))
                .build();
    }

    /** Adds a completed snapshot holding {@code blocks} (each 512 KiB). */
    public void add(String snapshotId, long volumeGiB, Map<Long, byte[]> blocks) {
        var snapshot = new Snapshot(volumeGiB);
        blocks.forEach((index, data) -> {
            snapshot.blocks.put(index, data);
            snapshot.checksums.put(index, Base64.getEncoder().encodeToString(EbsCalls.sha256(data, data.length)));
            snapshot.tokens.put(index, "token-" + snapshotId + "-" + index + "-" + counter.incrementAndGet());
        });
        snapshot.status = "completed";
        snapshots.put(snapshotId, snapshot);
    }

    /** A stored snapshot. */
    public Snapshot snapshot(String snapshotId) {
        return snapshots.get(snapshotId);
    }

    /** Forgets a snapshot (frees its blocks). */
    public void remove(String snapshotId) {
        snapshots.remove(snapshotId);
    }

    /**
     * CPU time the request handlers of this stub have used so far (the JDK server's dispatcher thread, which
     * accepts connections and parses request heads, is not included: see {@link #dispatcherCpuNanos}).
     */
    public long handlerCpuNanos() {
        return handlerCpuNanos.get();
    }

    /** CPU time of the JDK HTTP server's dispatcher threads of this JVM, or -1 if not measurable. */
    public long dispatcherCpuNanos() {
        long total = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("HTTP-Dispatcher")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu < 0) {
                    return -1;
                }
                total += cpu;
            }
        }
        return total;
    }

    /** The snapshot ids started through the API, in no order. */
    public List<String> snapshotIds() {
        return List.copyOf(snapshots.keySet());
    }

    /** Listings return at most this many blocks per page. */
    public void pageSize(int blocks) {
        this.pageSize = blocks;
    }

    /** The next {@code times} calls of {@code operation} (e.g. {@code GetSnapshotBlock}) fail with this error. */
    public void fail(String operation, int times, int status, String code) {
        for (int i = 0; i < times; i++) {
            faults.computeIfAbsent(operation, o -> new ConcurrentLinkedDeque<>())
                    .add(new Fault(status, code, false));
        }
    }

    /** The next {@code times} block reads return data that does not match its checksum. */
    public void corruptReads(int times) {
        for (int i = 0; i < times; i++) {
            faults.computeIfAbsent("GetSnapshotBlock", o -> new ConcurrentLinkedDeque<>())
                    .add(new Fault(200, "", true));
        }
    }

    /** Block reads wait until {@code reads} of them are in flight at once (or 10 s pass). */
    public void holdReadsUntilConcurrent(int reads) {
        readGate = new CountDownLatch(reads);
    }

    /** The most block reads that were in flight at once. */
    public int maxReadsInFlight() {
        return maxReadsInFlight.get();
    }

    /** Every request received. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests of one operation. */
    public List<Request> requests(String operation) {
        return requests.stream()
                .filter(r -> operation.equals(operationOf(r.method(), r.path())))
                .toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static String operationOf(String method, String path) {
        String[] p = path.split("/");
        if (method.equals("POST") && p.length == 2) {
            return "StartSnapshot";
        }
        if (method.equals("POST")) {
            return "CompleteSnapshot";
        }
        if (method.equals("PUT")) {
            return "PutSnapshotBlock";
        }
        if (path.endsWith("/changedblocks")) {
            return "ListChangedBlocks";
        }
        return p.length == 4 ? "ListSnapshotBlocks" : "GetSnapshotBlock";
    }

    private void answer(HttpExchange exchange) throws IOException {
        long cpuBefore = threads.getCurrentThreadCpuTime();
        try {
            handle(exchange);
        } finally {
            handlerCpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - cpuBefore);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            var query = query(exchange.getRequestURI().getRawQuery());
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders()
                    .forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.getFirst()));
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(method, path, query, headers));
            String operation = operationOf(method, path);
            if (operation.equals("GetSnapshotBlock")) {
                enterRead();
            }
            try {
                var queued = faults.get(operation);
                var fault = queued == null ? null : queued.poll();
                if (fault != null && !fault.corrupt()) {
                    error(exchange, fault.status(), fault.code());
                    return;
                }
                String[] p = path.split("/");
                switch (operation) {
                    case "StartSnapshot" -> start(exchange, body);
                    case "CompleteSnapshot" -> complete(exchange, p[3], headers);
                    case "PutSnapshotBlock" -> put(exchange, p[2], Long.parseLong(p[4]), body, headers);
                    case "ListSnapshotBlocks" -> list(exchange, p[2], query);
                    case "ListChangedBlocks" -> changed(exchange, query.get("firstSnapshotId"), p[2], query);
                    default -> get(exchange, p[2], Long.parseLong(p[4]), query.get("blockToken"), fault != null);
                }
            } finally {
                if (operation.equals("GetSnapshotBlock")) {
                    readsInFlight.decrementAndGet();
                }
            }
        }
    }

    private void enterRead() {
        int now = readsInFlight.incrementAndGet();
        maxReadsInFlight.accumulateAndGet(now, Math::max);
        var gate = readGate;
        if (gate != null) {
            gate.countDown();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void start(HttpExchange exchange, byte[] body) throws IOException {
        var json = JsonNode.parser()
                .parse(new String(body, StandardCharsets.UTF_8))
                .asObject();
        String token = json.containsKey("ClientToken") ? json.get("ClientToken").asString() : "";
        var existing = snapshots.entrySet().stream()
                .filter(e -> !token.isEmpty() && token.equals(e.getValue().clientToken))
                .map(Map.Entry::getKey)
                .findFirst();
        String id = existing.orElseGet(() -> "snap-stub" + counter.incrementAndGet());
        var snapshot = snapshots.computeIfAbsent(
                id, k -> new Snapshot(Long.parseLong(json.get("VolumeSize").asNumber())));
        snapshot.description =
                json.containsKey("Description") ? json.get("Description").asString() : "";
        snapshot.clientToken = token;
        snapshot.tags = json.containsKey("Tags") ? json.get("Tags").toString() : "";
        send(
                exchange,
                201,
                Map.of(),
                ("{\"SnapshotId\":\"" + id + "\",\"Status\":\"pending\",\"BlockSize\":524288," + "\"VolumeSize\":"
                                + snapshot.volumeGiB + "}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private void complete(HttpExchange exchange, String id, Map<String, String> headers) throws IOException {
        var snapshot = snapshots.get(id);
        snapshot.completion = Map.copyOf(headers);
        snapshot.status = "completed";
        send(exchange, 202, Map.of(), "{\"Status\":\"completed\"}".getBytes(StandardCharsets.UTF_8));
    }

    private void put(HttpExchange exchange, String id, long index, byte[] body, Map<String, String> headers)
            throws IOException {
        String expected = headers.get("x-amz-checksum");
        String actual = Base64.getEncoder().encodeToString(EbsCalls.sha256(body, body.length));
        if (!actual.equals(expected)
                || body.length != 524288
                || !String.valueOf(body.length).equals(headers.get("x-amz-data-length"))) {
            error(exchange, 400, "ValidationException");
            return;
        }
        var snapshot = snapshots.get(id);
        snapshot.blocks.put(index, body);
        snapshot.checksums.put(index, actual);
        snapshot.tokens.put(index, "token-" + id + "-" + index + "-" + counter.incrementAndGet());
        send(exchange, 201, Map.of("x-amz-Checksum", actual, "x-amz-Checksum-Algorithm", "SHA256"), new byte[0]);
    }

    private void list(HttpExchange exchange, String id, Map<String, String> query) throws IOException {
        var snapshot = snapshots.get(id);
        if (snapshot == null) {
            error(exchange, 404, "ResourceNotFoundException");
            return;
        }
        var indexes = new ArrayList<>(new TreeSet<>(snapshot.blocks.keySet()));
        var page = page(indexes, query);
        var items = new StringBuilder();
        for (long index : page.items()) {
            items.append(items.isEmpty() ? "" : ",")
                    .append("{\"BlockIndex\":")
                    .append(index)
                    .append(",\"BlockToken\":\"")
                    .append(snapshot.tokens.get(index))
                    .append("\"}");
        }
        send(
                exchange,
                200,
                Map.of(),
                ("{\"Blocks\":[" + items + "],\"VolumeSize\":" + snapshot.volumeGiB + ",\"BlockSize\":524288"
                                + page.next() + "}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private void changed(HttpExchange exchange, String firstId, String secondId, Map<String, String> query)
            throws IOException {
        var first = snapshots.get(firstId);
        var second = snapshots.get(secondId);
        var all = new TreeSet<>(first.blocks.keySet());
        all.addAll(second.blocks.keySet());
        var differing = all.stream()
                .filter(i -> !Arrays.equals(first.blocks.get(i), second.blocks.get(i)))
                .toList();
        var page = page(differing, query);
        var items = new StringBuilder();
        for (long index : page.items()) {
            items.append(items.isEmpty() ? "" : ",").append("{\"BlockIndex\":").append(index);
            if (first.tokens.containsKey(index)) {
                items.append(",\"FirstBlockToken\":\"")
                        .append(first.tokens.get(index))
                        .append('"');
            }
            if (second.tokens.containsKey(index)) {
                items.append(",\"SecondBlockToken\":\"")
                        .append(second.tokens.get(index))
                        .append('"');
            }
            items.append('}');
        }
        send(
                exchange,
                200,
                Map.of(),
                ("{\"ChangedBlocks\":[" + items + "],\"VolumeSize\":" + second.volumeGiB + ",\"BlockSize\":524288"
                                + page.next() + "}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private record PageOf(List<Long> items, String next) {}

    private PageOf page(List<Long> indexes, Map<String, String> query) {
        int from = query.containsKey("pageToken") ? Integer.parseInt(query.get("pageToken")) : 0;
        int max = Math.min(pageSize, Integer.parseInt(query.getOrDefault("maxResults", "10000")));
        int to = Math.min(indexes.size(), from + max);
        return new PageOf(indexes.subList(from, to), to < indexes.size() ? ",\"NextToken\":\"" + to + "\"" : "");
    }

    private void get(HttpExchange exchange, String id, long index, @Nullable String token, boolean corrupt)
            throws IOException {
        var snapshot = snapshots.get(id);
        byte[] data = snapshot == null ? null : snapshot.blocks.get(index);
        if (data == null || token == null || !token.equals(snapshot.tokens.get(index))) {
            error(exchange, 404, "ResourceNotFoundException");
            return;
        }
        String checksum = snapshot.checksums.get(index);
        byte[] sent = data;
        if (corrupt) {
            sent = data.clone();
            sent[sent.length / 2] ^= 1;
        }
        send(
                exchange,
                200,
                Map.of(
                        "x-amz-Checksum",
                        checksum,
                        "x-amz-Checksum-Algorithm",
                        "SHA256",
                        "x-amz-Data-Length",
                        Integer.toString(data.length)),
                sent);
    }

    private static void error(HttpExchange exchange, int status, String code) throws IOException {
        send(
                exchange,
                status,
                Map.of("x-amzn-ErrorType", code),
                ("{\"message\":\"stub says " + code + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, Map<String, String> headers, byte[] body)
            throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static Map<String, String> query(@Nullable String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw == null) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                query.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    /** A self-signed EC certificate for 127.0.0.1 and its key, as server and client TLS contexts. */
    private record Tls(KeyPair keys, X509Certificate certificate) {

        static Tls generate() {
            try {
                var generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"));
                var keys = generator.generateKeyPair();
                var name = new X500Name("CN=ebs-stub");
                var now = Instant.now();
                var builder = new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now.toEpochMilli()),
                        Date.from(now.minus(Duration.ofHours(1))),
                        Date.from(now.plus(Duration.ofDays(1))),
                        name,
                        keys.getPublic());
                builder.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
                var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
                return new Tls(keys, new JcaX509CertificateConverter().getCertificate(builder.build(signer)));
            } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
                throw new IllegalStateException("Cannot make the stub's certificate: " + e.getMessage(), e);
            }
        }

        SSLContext context() {
            try {
                var store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("stub", keys.getPrivate(), new char[0], new X509Certificate[] {certificate});
                var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keyManagers.init(store, new char[0]);
                var context = SSLContext.getInstance("TLS");
                context.init(keyManagers.getKeyManagers(), null, null);
                return context;
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("Cannot set up the stub's TLS: " + e.getMessage(), e);
            }
        }

        TrustManager[] trustManagers() {
            try {
                var store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("stub", certificate);
                var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                factory.init(store);
                return factory.getTrustManagers();
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("Cannot trust the stub's certificate: " + e.getMessage(), e);
            }
        }
    }

    /** Records pauses instead of sleeping. */
    public static final class RecordedPauses implements EbsTransferOptions.Pause {
        private final List<Duration> pauses = new CopyOnWriteArrayList<>();

        @Override
        public void pause(Duration duration) {
            pauses.add(duration);
        }

        /** The pauses taken, in order. */
        public List<Duration> pauses() {
            return List.copyOf(pauses);
        }
    }
}
