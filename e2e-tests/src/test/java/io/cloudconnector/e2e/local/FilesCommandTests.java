package io.cloudconnector.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cloudconnector.common.security.DevTokenMinter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./connector files ls|get} against a fake of background-jobs' file API on the loopback, answering as the
 * service does (pages, problems, bytes): the table, paging, the volume chosen, a download written whole, and bad input
 * or a refusal as one line with a non-zero exit.
 */
class FilesCommandTests {

    private static final String RP = "rp-01JDEMO0000000000000000003";

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String volumes = "[{\"name\":\"disk0\",\"filesystem\":\"ext4\",\"size\":1,\"readable\":true}]";
    private final byte[] content = new byte[3 * 1024 * 1024 + 7];
    private Path key;

    private static void reply(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        reply(
                exchange,
                status,
                status < 300 ? "application/json" : "application/problem+json",
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static String entry(String name, String type, long size, String target) {
        return "{\"name\":\"" + name + "\",\"path\":\"/etc/" + name + "\",\"type\":\"" + type + "\",\"size\":" + size
                + ",\"mode\":\"0644\",\"uid\":0,\"gid\":70001,\"modifiedAt\":\"2026-12-01T10:15:30.5Z\""
                + (target == null ? "" : ",\"target\":\"" + target + "\"") + "}";
    }

    @BeforeEach
    void start() throws IOException {
        new Random(5).nextBytes(content);
        key = Files.writeString(
                dir.resolve("dev-key.pem"),
                DevTokenMinter.formatPrivateKey(DevTokenMinter.newEcKeyPair().getPrivate()));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getRawPath();
            String query =
                    URLDecoder.decode(String.valueOf(exchange.getRequestURI().getRawQuery()), StandardCharsets.UTF_8);
            requests.add(path + "?" + query + " " + exchange.getRequestHeaders().getFirst("Authorization"));
            if (path.equals("/v1/recovery-points/" + RP + "/volumes")) {
                json(exchange, 200, "{\"items\":" + volumes + "}");
            } else if (path.equals("/v1/recovery-points/" + RP + "/files") && query.contains("path=/etc")) {
                if (query.contains("pageToken=second")) {
                    json(exchange, 200, "{\"items\":[" + entry("motd", "symlink", 9, "/run/motd") + "]}");
                } else {
                    json(
                            exchange,
                            200,
                            "{\"items\":[" + entry("hostname", "file", 6, null) + ","
                                    + entry("init.d", "dir", 4096, null) + "],\"nextPageToken\":\"second\"}");
                }
            } else if (path.equals("/v1/recovery-points/" + RP + "/files/content") && query.contains("path=/big.bin")) {
                reply(exchange, 200, "application/octet-stream", content);
            } else {
                json(
                        exchange,
                        404,
                        "{\"type\":\"urn:cloudconnector:problem:not-found\",\"status\":404,"
                                + "\"detail\":\"Path /nope in volume disk0 of " + RP + " does not exist\"}");
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private record Run(int exitCode, String out, String err) {}

    private Run run(String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var previous = System.out;
        var line = ConnectorTool.commandLine();
        line.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        line.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        var all = new java.util.ArrayList<>(List.of(
                "files",
                "--key",
                key.toString(),
                "--audience",
                "cc-test",
                "--port",
                Integer.toString(server.getAddress().getPort())));
        all.addAll(List.of(args));
        int code;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            code = line.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(previous);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void lsPrintsEveryPageAsATableOfTheOnlyReadableVolume() {
        var ls = run("ls", RP, "/etc");

        assertThat(ls.exitCode()).as(ls.err()).isZero();
        var lines = ls.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("-0644").contains("0:70001", "6", "2026-12-01 10:15", "hostname");
        assertThat(lines.get(1)).startsWith("d0644").endsWith("init.d");
        assertThat(lines.get(2)).startsWith("l0644").endsWith("motd -> /run/motd");
        assertThat(requests).anySatisfy(r -> assertThat(r).contains("volume=disk0", "Bearer "));
    }

    @Test
    void getWritesTheWholeFileAndARefusalIsOneLineWithNothingLeftBehind() throws Exception {
        var target = dir.resolve("out.bin");
        var get = run("get", RP, "/big.bin", "-o", target.toString());
        assertThat(get.exitCode()).as(get.err()).isZero();
        assertThat(Files.readAllBytes(target)).isEqualTo(content);

        var missing = dir.resolve("nope.bin");
        var refused = run("get", RP, "/nope", "-o", missing.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().lines().toList())
                .containsExactly("connector: Path /nope in volume disk0 of " + RP + " does not exist");
        assertThat(missing).doesNotExist();
        assertThat(dir.resolve("nope.bin.part")).doesNotExist();
    }

    @Test
    void badInputIsOneLineAndANonZeroExit() {
        var noPoint = run("ls");
        assertThat(noPoint.exitCode()).isEqualTo(2);
        assertThat(noPoint.err().lines().toList()).singleElement().asString().startsWith("connector: Missing required");

        var unknownOption = run("get", RP, "/x", "--bogus");
        assertThat(unknownOption.exitCode()).isEqualTo(2);
        assertThat(unknownOption.err().lines().toList()).hasSize(1);

        volumes = "[{\"name\":\"disk0p1\",\"readable\":true},{\"name\":\"disk0p2\",\"readable\":true}]";
        var ambiguous = run("ls", RP);
        assertThat(ambiguous.exitCode()).isEqualTo(1);
        assertThat(ambiguous.err().lines().toList())
                .containsExactly("connector: " + RP
                        + " has several readable volumes (disk0p1, disk0p2): name one with --volume");
    }

    @Test
    void theProgressBarShowsShareSizeAndRate() {
        assertThat(FilesCommand.Bar.line(512L << 20, 1L << 30, 2_000_000_000L))
                .startsWith("[###############---------------]  50%")
                .contains("512.0 MiB of 1.0 GiB", "256.0 MiB/s");
    }
}
