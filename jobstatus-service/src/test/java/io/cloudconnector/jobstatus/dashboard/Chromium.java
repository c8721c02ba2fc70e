package io.cloudconnector.jobstatus.dashboard;

import io.cloudconnector.common.testing.RequiredTools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real headless Chromium (Debian's {@code chromium}), driven over the Chrome DevTools Protocol with
 * the JDK's WebSocket client: navigate, run script in the page, take a screenshot. Each instance has
 * its own fresh profile, deleted on close.
 */
final class Chromium implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration CALL = Duration.ofSeconds(30);
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://127\\.0\\.0\\.1:(\\d+)/\\S+)");
    private static final JsonMapper JSON = JsonMapper.shared();

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private Chromium(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts Chromium with the flags the issue names and attaches to its first page. */
    static Chromium launch() throws Exception {
        Path profile = Files.createTempDirectory("jobstatus-chromium-");
        var command = List.of(
                executable(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--window-size=1280,900",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "about:blank");
        var process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            int port = devToolsPort(process);
            var http = HttpClient.newHttpClient();
            var targets = JSON.readTree(http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .timeout(CALL)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            String pageSocket = null;
            for (var target : targets) {
                if (target.path("type").asString().equals("page")) {
                    pageSocket = target.path("webSocketDebuggerUrl").asString();
                    break;
                }
            }
            if (pageSocket == null) {
                throw new IllegalStateException("Chromium has no page to attach to: " + targets);
            }
            var holder = new Chromium[1];
            var socket = http.newWebSocketBuilder()
                    .connectTimeout(CALL)
                    .buildAsync(URI.create(pageSocket), new Listener(message -> holder[0].onMessage(message)))
                    .get(CALL.toSeconds(), TimeUnit.SECONDS);
            holder[0] = new Chromium(process, profile, socket);
            holder[0].call("Page.enable", Map.of());
            holder[0].call("Runtime.enable", Map.of());
            return holder[0];
        } catch (Exception e) {
            process.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /** Runs {@code expression} in the page and returns its value as JSON (promises are awaited). */
    JsonNode evaluate(String expression) throws Exception {
        var answer =
                call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (answer.has("exceptionDetails")) {
            throw new IllegalStateException("Script failed in the page: " + answer.get("exceptionDetails"));
        }
        return answer.path("result").path("value");
    }

    /** Makes the page this size (CSS pixels), as a window of that size would. */
    void resize(int width, int height) throws Exception {
        call(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** Presses and releases a key (e.g. {@code Enter}, {@code ArrowDown}) on whatever has the focus. */
    void press(String key, int keyCode) throws Exception {
        for (var type : List.of("keyDown", "keyUp")) {
            call(
                    "Input.dispatchKeyEvent",
                    Map.of("type", type, "key", key, "code", key, "windowsVirtualKeyCode", keyCode));
        }
    }

    /** A PNG of what the page shows now. */
    byte[] screenshot() throws Exception {
        return Base64.getDecoder()
                .decode(call("Page.captureScreenshot", Map.of("format", "png"))
                        .path("data")
                        .asString());
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        long id = ids.incrementAndGet();
        var answer = new CompletableFuture<JsonNode>();
        pending.put(id, answer);
        socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
                .get(CALL.toSeconds(), TimeUnit.SECONDS);
        var response = answer.get(CALL.toSeconds(), TimeUnit.SECONDS);
        if (response.has("error")) {
            throw new IllegalStateException(method + " failed: " + response.get("error"));
        }
        return response.path("result");
    }

    private void onMessage(String text) {
        var message = JSON.readTree(text);
        if (message.has("id")) {
            var waiting = pending.remove(message.get("id").asLong());
            if (waiting != null) {
                waiting.complete(message);
            }
        }
    }

    private static int devToolsPort(Process process) throws Exception {
        var port = new CompletableFuture<Integer>();
        Thread.ofPlatform().daemon().name("chromium-stderr").start(() -> {
            // Keeps reading after the port is known, so that Chromium never blocks on a full pipe.
            try (var lines =
                    new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                List<String> seen = new ArrayList<>();
                for (String line; (line = lines.readLine()) != null; ) {
                    var matcher = DEVTOOLS.matcher(line);
                    if (matcher.find()) {
                        port.complete(Integer.parseInt(matcher.group(2)));
                    } else if (!port.isDone() && seen.size() < 50) {
                        seen.add(line);
                    }
                }
                port.completeExceptionally(new IllegalStateException("Chromium exited: " + String.join("\n", seen)));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        });
        return port.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    }

    private static String executable() {
        var configured = System.getenv("CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (var name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (var dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, name))) {
                    return Path.of(dir, name).toString();
                }
            }
        }
        throw new AssertionError(RequiredTools.missing("chromium") + " (or set CHROMIUM to its executable)");
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        var helpers = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        helpers.forEach(ProcessHandle::destroyForcibly);
        try {
            deleteTree(profile);
        } catch (IOException e) {
            // a helper still writing its profile; the temporary directory is left behind, nothing worse
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Collects each whole text message (CDP messages may arrive in parts). */
    private static final class Listener implements WebSocket.Listener {

        private final java.util.function.Consumer<String> onMessage;
        private final StringBuilder partial = new StringBuilder();

        Listener(java.util.function.Consumer<String> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                onMessage.accept(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
