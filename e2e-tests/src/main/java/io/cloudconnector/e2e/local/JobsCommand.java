package io.cloudconnector.e2e.local;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.security.Scopes;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code ./connector jobs list|watch}: the job-status API from a terminal, with a token minted from the
 * local development key.
 */
@Command(
        name = "jobs",
        description = "List jobs, or watch one until it ends.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.Watch.class})
final class JobsCommand {

    private static final JsonMapper JSON = EventCodec.standardMapper();
    private static final Set<String> FINAL = Set.of("succeeded", "failed", "cancelled");

    @Option(names = "--key", required = true, description = "The development private key (PEM).")
    Path key;

    @Option(
            names = "--audience",
            required = true,
            description = "The tokens' audience: <account>:<region>:<connector id>.")
    String audience;

    @Option(names = "--port", description = "The jobstatus service's port (default: CONNECTOR_PORT_JOBSTATUS or 8083).")
    @org.jspecify.annotations.Nullable
    Integer port;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private URI uri(String path) {
        int p = port != null ? port : LocalService.JOBSTATUS.port();
        return URI.create("http://127.0.0.1:" + p + path);
    }

    /** A fresh token for each call: a watched job may outlive any one token. */
    private String bearer() throws IOException {
        return "Bearer "
                + TokenCommand.minter(key)
                        .mint(
                                "connector-cli",
                                audience,
                                List.of(Scopes.JOBS_READ),
                                Instant.now(),
                                Duration.ofMinutes(15));
    }

    /** The problem's detail, or the status, for a refused call. */
    private static String refusal(int status, String body) {
        try {
            var detail = JSON.readTree(body).path("detail").asString("");
            return detail.isBlank() ? "HTTP " + status : detail;
        } catch (RuntimeException e) {
            return "HTTP " + status;
        }
    }

    @Command(name = "list", description = "List jobs, newest first.")
    static final class ListJobs implements Callable<Integer> {

        @ParentCommand
        JobsCommand jobs;

        @Option(
                names = "--state",
                description = "Only jobs in this state (queued, provisioning, running, succeeded, failed, cancelled).")
        @org.jspecify.annotations.Nullable
        String state;

        @Option(names = "--kind", description = "Only jobs of this kind (e.g. ebs-backup).")
        @org.jspecify.annotations.Nullable
        String kind;

        @Option(names = "--vault", description = "Only jobs of this vault (vlt-…).")
        @org.jspecify.annotations.Nullable
        String vaultId;

        @Option(names = "--asset", description = "Only jobs of this asset (aws:ebs:…, aws:ec2:…).")
        @org.jspecify.annotations.Nullable
        String assetId;

        @Option(names = "--policy", description = "Only jobs a policy started.")
        @org.jspecify.annotations.Nullable
        String policyId;

        @Option(names = "--limit", defaultValue = "50", description = "How many (1-500, default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--json", description = "Print the API's JSON page instead of a table.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("limit", Integer.toString(limit));
            if (state != null) {
                query.put("state", state);
            }
            if (kind != null) {
                query.put("kind", kind);
            }
            if (vaultId != null) {
                query.put("vaultId", vaultId);
            }
            if (assetId != null) {
                query.put("assetId", assetId);
            }
            if (policyId != null) {
                query.put("policyId", policyId);
            }
            var path = new StringBuilder("/v1/jobs?");
            query.forEach((name, value) -> path.append(name)
                    .append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8))
                    .append('&'));
            var response = jobs.http.send(
                    HttpRequest.newBuilder(jobs.uri(path.substring(0, path.length() - 1)))
                            .header("Authorization", jobs.bearer())
                            .timeout(Duration.ofSeconds(30))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(
                        "jobstatus refused the list: " + refusal(response.statusCode(), response.body()));
            }
            if (json) {
                System.out.println(response.body());
                return 0;
            }
            var items = JSON.readTree(response.body()).path("items");
            if (items.isEmpty()) {
                System.out.println("no jobs");
                return 0;
            }
            System.out.println(table(items));
            return 0;
        }
    }

    @Command(name = "watch", description = "Follow a job's progress until it ends; exit code 0 only if it succeeded.")
    static final class Watch implements Callable<Integer> {

        private static final int BAR_WIDTH = 30;
        private static final int MAX_RECONNECTS = 5;

        @ParentCommand
        JobsCommand jobs;

        @Parameters(paramLabel = "JOB_ID", description = "The job, j-<ulid>.")
        String jobId;

        @Option(names = "--plain", description = "One line per change even on a terminal.")
        boolean plain;

        private @org.jspecify.annotations.Nullable JsonNode last;
        private @org.jspecify.annotations.Nullable String lastEventId;
        private boolean barShown;

        @Override
        public Integer call() throws Exception {
            boolean terminal =
                    !plain && System.console() != null && System.console().isTerminal();
            PrintStream out = System.out;
            int failures = 0;
            while (last == null || !FINAL.contains(last.path("state").asString())) {
                try {
                    if (follow(out, terminal)) {
                        failures = 0;
                    }
                } catch (IOException e) {
                    // The stream broke (a restart, a proxy): resume where it stopped.
                    if (++failures > MAX_RECONNECTS) {
                        throw new IllegalStateException("lost the event stream of " + jobId + ": " + e.getMessage());
                    }
                    Thread.sleep(Math.min(10_000, 500L << failures));
                }
            }
            if (barShown) {
                out.println();
            }
            String state = last.path("state").asString();
            out.println(jobId + " " + state + summary(last));
            return state.equals("succeeded") ? 0 : 1;
        }

        /** Reads the stream until it ends; {@code true} if it delivered anything. */
        private boolean follow(PrintStream out, boolean terminal) throws IOException, InterruptedException {
            var request = HttpRequest.newBuilder(jobs.uri("/v1/jobs/" + jobId + "/events"))
                    .header("Authorization", jobs.bearer())
                    .header("Accept", "text/event-stream")
                    .GET();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            HttpResponse<Stream<String>> response =
                    jobs.http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() == 204 && last != null) {
                return true; // we have the final version already
            }
            if (response.statusCode() != 200) {
                String body;
                try (var lines = response.body()) {
                    body = String.join("\n", lines.toList());
                }
                throw new IllegalStateException("cannot watch " + jobId + ": " + refusal(response.statusCode(), body));
            }
            boolean delivered = false;
            List<String> data = new ArrayList<>();
            String id = null;
            String type = "job";
            try (var lines = response.body()) {
                for (var line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("event:")) {
                        type = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.add(line.substring(5).strip());
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        if (type.equals("token-expired")) {
                            // The stream ends with the token that opened it: the next call mints a fresh one.
                            return true;
                        }
                        type = "job";
                        last = JSON.readTree(String.join("\n", data));
                        lastEventId = id;
                        delivered = true;
                        show(out, terminal);
                        data.clear();
                        id = null;
                    }
                }
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            if (last == null || !FINAL.contains(last.path("state").asString())) {
                throw new IOException("the stream ended before the job did");
            }
            return delivered;
        }

        private void show(PrintStream out, boolean terminal) {
            JsonNode last = java.util.Objects.requireNonNull(this.last); // shown once a state arrived
            String state = last.path("state").asString();
            if (!terminal) {
                out.println(
                        Instant.now().toString().substring(0, 19) + "Z " + jobId + " " + state + " " + progress(last));
                return;
            }
            double percent = state.equals("succeeded")
                    ? 100
                    : last.path("progress").path("percent").asDouble(0);
            int filled = (int) Math.round(percent * BAR_WIDTH / 100);
            var eta = last.path("progress").path("etaSeconds");
            String rate = rate(last);
            out.printf(
                    "\r[%s%s] %5.1f%%  %-10s %s%s%s\033[K",
                    "#".repeat(filled),
                    "-".repeat(BAR_WIDTH - filled),
                    percent,
                    state,
                    progress(last),
                    rate.isEmpty() ? "" : "  " + rate,
                    eta.isNumber() && !FINAL.contains(state) ? "  ETA " + duration(eta.asLong()) : "");
            out.flush();
            barShown = true;
        }

        private static String summary(JsonNode job) {
            var error = job.path("error");
            if (error.isObject()) {
                return ": " + error.path("code").asString() + ": "
                        + error.path("message").asString();
            }
            var result = job.path("result");
            return result.isObject() && !result.isEmpty() ? " " + result : "";
        }
    }

    /** The list as the dashboard shows it: what each job is about, its progress in its unit, or why it failed. */
    static String table(JsonNode items) {
        var out = new StringBuilder(String.format(
                "%-28s %-15s %-12s %-22s %-20s %-34s %-16s %-8s %s%n",
                "JOB", "KIND", "STATE", "ASSET", "VAULT", "PROGRESS", "RATE", "DURATION", "CREATED"));
        for (var job : items) {
            var error = job.path("error");
            String progress = error.isObject()
                    ? error.path("code").asString() + ": "
                            + oneLine(error.path("message").asString())
                    : progress(job);
            out.append(String.format(
                    "%-28s %-15s %-12s %-22s %-20s %-34s %-16s %-8s %s%n",
                    job.path("id").asString(),
                    job.path("kind").asString(),
                    job.path("state").asString(),
                    named(job, "asset"),
                    named(job, "vault"),
                    progress,
                    rate(job),
                    duration(job),
                    job.path("createdAt").asString()));
        }
        return out.toString().stripTrailing();
    }

    /** The thing's name if known, else its id (an AWS asset id by its last part): "-" when the job has none. */
    private static String named(JsonNode job, String thing) {
        String name = job.path(thing + "Name").asString("");
        if (!name.isBlank()) {
            return name;
        }
        String id = job.path(thing + "Id").asString("");
        return id.isBlank() ? "-" : id.startsWith("aws:") ? id.substring(id.lastIndexOf(':') + 1) : id;
    }

    private static String oneLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 80 ? line.substring(0, 79) + "…" : line;
    }

    /**
     * "25% · 2.0 GiB of 8.0 GiB", "1,234 of 10,000 assets", "5 of 14 checks", with a scan's files after its
     * bytes; "-" before any report.
     */
    static String progress(JsonNode job) {
        var progress = job.path("progress");
        if (!progress.isObject()) {
            return "-";
        }
        String unit = unit(job);
        var percent = progress.path("percent");
        String text = unit.equals("bytes") && percent.isNumber()
                ? formatPercent(job.path("state").asString().equals("succeeded") ? 100 : percent.asDouble()) + "% · "
                : "";
        text += amount(progress.path("bytesDone").asLong(), progress.path("bytesTotal"), unit);
        var secondary = progress.path("secondary");
        if (secondary.isObject()) {
            text += " · "
                    + amount(
                            secondary.path("done").asLong(),
                            secondary.path("total"),
                            secondary.path("unit").asString());
        }
        return text;
    }

    /** "100.0 MiB/s", "250 assets/s", or "" when there is no rate yet. */
    static String rate(JsonNode job) {
        var rate = job.path("progress").path("bytesPerSecond");
        if (!rate.isNumber()) {
            return "";
        }
        String unit = unit(job);
        return unit.equals("bytes") ? bytes(rate.asLong()) + "/s" : count(rate.asLong()) + " " + unit + "/s";
    }

    /** How long a finished job took; "" while it runs. */
    static String duration(JsonNode job) {
        var seconds = job.path("durationSeconds");
        return seconds.isNumber() ? duration(seconds.asLong()) : "";
    }

    private static String unit(JsonNode job) {
        String unit = job.path("progress").path("unit").asString("");
        return unit.isBlank() ? "bytes" : unit;
    }

    private static String amount(long done, JsonNode total, String unit) {
        if (unit.equals("bytes")) {
            return bytes(done) + (total.isNumber() ? " of " + bytes(total.asLong()) : "");
        }
        return count(done) + (total.isNumber() ? " of " + count(total.asLong()) : "") + " " + unit;
    }

    private static String formatPercent(double percent) {
        return percent == Math.rint(percent)
                ? Long.toString((long) percent)
                : String.format(java.util.Locale.ROOT, "%.1f", percent);
    }

    static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? n + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return h > 0 ? h + "h " + m + "m" : m > 0 ? m + "m " + s + "s" : s + "s";
    }
}
