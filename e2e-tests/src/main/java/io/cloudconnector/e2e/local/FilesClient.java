package io.cloudconnector.e2e.local;

import io.cloudconnector.common.event.EventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The file API of background-jobs ({@code /v1/recovery-points/{id}/volumes}, {@code /files}, {@code /files/content})
 * for {@code ./connector files} and the demo: a refusal becomes an exception whose message is the problem's detail.
 */
final class FilesClient {

    private static final JsonMapper JSON = EventCodec.standardMapper();

    private final URI base;
    private final Supplier<String> bearer;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FilesClient(URI base, Supplier<String> bearer) {
        this.base = base;
        this.bearer = bearer;
    }

    /** The volumes of {@code point}. */
    JsonNode volumes(String point) throws IOException, InterruptedException {
        return JSON.readTree(getString("/v1/recovery-points/" + enc(point) + "/volumes"))
                .path("items");
    }

    /** The one readable volume of {@code point}; more than one (or none) is refused, naming them. */
    String onlyReadableVolume(String point) throws IOException, InterruptedException {
        List<String> readable = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (var volume : volumes(point)) {
            all.add(volume.path("name").asString());
            if (volume.path("readable").asBoolean()) {
                readable.add(volume.path("name").asString());
            }
        }
        if (readable.size() == 1) {
            return readable.getFirst();
        }
        if (readable.isEmpty()) {
            throw new IllegalStateException(
                    point + " has no readable volume (volumes: " + String.join(", ", all) + ")");
        }
        throw new IllegalStateException(
                point + " has several readable volumes (" + String.join(", ", readable) + "): name one with --volume");
    }

    /** Every entry of the directory {@code path}, all pages, in name order. */
    List<JsonNode> list(String point, String volume, String path) throws IOException, InterruptedException {
        List<JsonNode> entries = new ArrayList<>();
        String token = null;
        do {
            var page = JSON.readTree(getString(filesPath(point, volume, path, "") + "&limit=500"
                    + (token == null ? "" : "&pageToken=" + enc(token))));
            page.path("items").forEach(entries::add);
            token = page.has("nextPageToken") ? page.path("nextPageToken").asString() : null;
        } while (token != null);
        return entries;
    }

    /**
     * Writes the file at {@code path} (with {@code tar}, the directory's subtree as tar) to {@code out}; {@code
     * started} learns its length (empty for a tar), {@code progress} the bytes written so far. Returns the bytes.
     */
    long download(
            String point,
            String volume,
            String path,
            boolean tar,
            OutputStream out,
            java.util.function.Consumer<OptionalLong> started,
            LongConsumer progress)
            throws IOException, InterruptedException {
        var response = http.send(
                request(filesPath(point, volume, path, "/content") + (tar ? "&format=tar" : "")),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        refusal(response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
            started.accept(tar ? OptionalLong.empty() : response.headers().firstValueAsLong("Content-Length"));
            var buffer = new byte[1 << 20];
            long done = 0;
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                done += n;
                progress.accept(done);
            }
            return done;
        }
    }

    private String getString(String path) throws IOException, InterruptedException {
        var response = http.send(request(path), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(refusal(response.statusCode(), response.body()));
        }
        return response.body();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", bearer.get())
                .timeout(Duration.ofMinutes(30))
                .GET()
                .build();
    }

    private static String filesPath(String point, String volume, String path, String suffix) {
        return "/v1/recovery-points/" + enc(point) + "/files" + suffix + "?volume=" + enc(volume) + "&path="
                + enc(path);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The problem's detail, or the status, for a refused call. */
    static String refusal(int status, @Nullable String body) {
        try {
            var detail = JSON.readTree(body == null ? "" : body).path("detail").asString("");
            return detail.isBlank() ? "HTTP " + status : detail;
        } catch (RuntimeException e) {
            return "HTTP " + status;
        }
    }
}
