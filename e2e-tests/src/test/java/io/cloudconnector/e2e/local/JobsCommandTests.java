package io.cloudconnector.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.EventCodec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code ./connector jobs list}: the same units and columns as the dashboard, from the API's JSON. */
class JobsCommandTests {

    private static JsonNode json(String text) {
        return EventCodec.standardMapper().readTree(text);
    }

    @Test
    void countsThingsInTheirUnitAndBytesAsBytes() {
        var discovery = json("""
                {"state":"running","progress":{"bytesDone":1234,"bytesTotal":10000,"percent":12.3,
                 "bytesPerSecond":250,"unit":"assets"}}""");
        var checks = json("""
                {"state":"running","progress":{"bytesDone":5,"bytesTotal":14,"percent":35.7,"unit":"checks"}}""");
        var backup = json("""
                {"state":"running","progress":{"bytesDone":2147483648,"bytesTotal":8589934592,"percent":25.0,
                 "bytesPerSecond":104857600,"unit":"bytes"}}""");
        var scan = json("""
                {"state":"succeeded","progress":{"bytesDone":1073741824,"bytesTotal":1073741824,"percent":100.0,
                 "unit":"bytes","secondary":{"unit":"files","done":120,"total":120}}}""");
        var old = json("""
                {"state":"running","progress":{"bytesDone":1024,"bytesTotal":4096,"percent":25.0}}""");

        assertThat(JobsCommand.progress(discovery) + " · " + JobsCommand.rate(discovery))
                .isEqualTo("1,234 of 10,000 assets · 250 assets/s");
        assertThat(JobsCommand.progress(checks)).isEqualTo("5 of 14 checks");
        assertThat(JobsCommand.progress(backup)).isEqualTo("25% · 2.0 GiB of 8.0 GiB");
        assertThat(JobsCommand.rate(backup)).isEqualTo("100.0 MiB/s");
        assertThat(JobsCommand.progress(scan)).isEqualTo("100% · 1.0 GiB of 1.0 GiB · 120 of 120 files");
        assertThat(JobsCommand.progress(old)).isEqualTo("25% · 1.0 KiB of 4.0 KiB");
        assertThat(JobsCommand.progress(json("{\"state\":\"queued\"}"))).isEqualTo("-");
    }

    @Test
    void theTableShowsWhatEachJobIsAboutHowLongItTookAndWhyItFailed() {
        var page = json("""
                [{"id":"j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4","kind":"ebs-backup","state":"succeeded",
                  "assetId":"aws:ebs:123456789012:us-east-1:vol-0abc","assetName":"web-1",
                  "vaultId":"vlt-01jd3zrx5kq0m8yv5d3m0rz2j4","vaultName":"prod-backups",
                  "progress":{"bytesDone":10,"bytesTotal":10,"percent":100.0,"unit":"bytes"},
                  "durationSeconds":125,"createdAt":"2026-11-26T10:00:00Z"},
                 {"id":"j-01JD3ZRX5KQ0M8YV5D3M0RZ2J5","kind":"integrity-check","state":"failed",
                  "error":{"code":"checks-busy","message":"Account checks are already running\\nand queued"},
                  "durationSeconds":1,"createdAt":"2026-11-26T10:00:01Z"},
                 {"id":"j-01JD3ZRX5KQ0M8YV5D3M0RZ2J6","kind":"ec2-backup","state":"queued",
                  "assetId":"aws:ec2:123456789012:us-east-1:i-0abc","vaultId":"vlt-1","createdAt":"2026-11-26T10:00:02Z"}]""");

        var lines = JobsCommand.table(page).lines().toList();

        assertThat(lines.getFirst().split("\\s+"))
                .containsExactly("JOB", "KIND", "STATE", "ASSET", "VAULT", "PROGRESS", "RATE", "DURATION", "CREATED");
        assertThat(lines.get(1)).contains("web-1", "prod-backups", "100% · 10 B of 10 B", "2m 5s");
        assertThat(lines.get(2))
                .contains("checks-busy: Account checks are already running")
                .doesNotContain("and queued");
        assertThat(lines.get(3)).contains("i-0abc", "vlt-1", " - ");
    }

    @Test
    void watchReconnectsWithAFreshTokenWhenTheStreamEndsForAnExpiredOne(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var key = dir.resolve("dev-key.pem");
        java.nio.file.Files.writeString(
                key,
                io.cloudconnector.common.security.DevTokenMinter.formatPrivateKey(
                        io.cloudconnector.common.security.DevTokenMinter.newEcKeyPair()
                                .getPrivate()));
        var tokens = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var lastEventIds = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/jobs/j-1/events", exchange -> {
            tokens.add(exchange.getRequestHeaders().getFirst("Authorization"));
            lastEventIds.add(String.valueOf(exchange.getRequestHeaders().getFirst("Last-Event-ID")));
            // The first stream ends because its token expired; the second carries the job to its end.
            String body = tokens.size() == 1
                    ? "id: 1\nevent: job\ndata: {\"state\":\"running\"}\n\n"
                            + "event: token-expired\ndata: {\"detail\":\"The bearer token expired\"}\n\n"
                    : "id: 2\nevent: job\ndata: {\"state\":\"succeeded\"}\n\n";
            byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        try {
            var jobs = new JobsCommand();
            jobs.key = key;
            jobs.audience = "123456789012:us-east-1:cc-dev";
            jobs.port = server.getAddress().getPort();
            var watch = new JobsCommand.Watch();
            watch.jobs = jobs;
            watch.jobId = "j-1";
            watch.plain = true;

            assertThat(watch.call()).isZero();
            assertThat(tokens).hasSize(2);
            assertThat(tokens.get(0)).isNotEqualTo(tokens.get(1)).startsWith("Bearer ");
            assertThat(lastEventIds).containsExactly("null", "1");
        } finally {
            server.stop(0);
        }
    }
}
