package io.cloudconnector.e2e.local;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.security.DevTokenMinter;
import io.cloudconnector.common.security.Scopes;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The smoke flow of {@code ./connector demo}: every service refuses a call without a token and answers
 * one with a token; then a ping published by one service through the event bus is seen by every
 * service's inbox.
 */
@Command(
        name = "smoke",
        description = "Prove the local stack's wiring: security on every service, events across services.")
final class SmokeCommand implements Callable<Integer> {

    private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--key", required = true, description = "The development private key (PEM).")
    Path key;

    @Option(
            names = "--audience",
            required = true,
            description = "The tokens' audience: <account>:<region>:<connector id>.")
    String audience;

    @Option(
            names = "--from",
            defaultValue = "catalog",
            description = "The service that publishes the ping (default: ${DEFAULT-VALUE}).")
    String from;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(
            names = "--endpoint",
            description =
                    "The emulator, to find the default VPC for the demo vault; " + "without it no vault is created.")
    java.net.@org.jspecify.annotations.Nullable URI endpoint;

    @Option(names = "--region", defaultValue = "us-east-1", description = "Region (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--skip-backup", description = "Stop after the vault: no backup and restore of a demo volume.")
    boolean skipBackup;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper mapper = EventCodec.standardMapper();

    @Override
    public Integer call() throws Exception {
        DevTokenMinter minter = TokenCommand.minter(key);
        String token = minter.mint("connector-demo", audience, Scopes.ALL, Instant.now(), Duration.ofMinutes(15));
        PrintStream out = json ? new PrintStream(PrintStream.nullOutputStream()) : System.out;
        Map<String, Object> report = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();

        out.println("1. Every service refuses a call without a token and answers one with a token:");
        List<Map<String, Object>> calls = new ArrayList<>();
        for (LocalService service : LocalService.values()) {
            var anonymous = send(service, "GET", service.readPath(), null);
            var authorized = send(service, "GET", service.readPath(), token);
            int items = authorized.statusCode() == 200
                    ? mapper.readTree(authorized.body()).path("items").size()
                    : -1;
            boolean ok = anonymous.statusCode() == 401
                    && anonymous.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                    && authorized.statusCode() == 200;
            out.printf(
                    "   %-16s GET %-24s no token → %d   token → %d (%d items)   %s%n",
                    service.serviceName(),
                    service.readPath(),
                    anonymous.statusCode(),
                    authorized.statusCode(),
                    Math.max(items, 0),
                    ok ? "ok" : "FAILED");
            if (!ok) {
                failures.add(service.serviceName() + " " + service.readPath());
            }
            calls.add(Map.of(
                    "service",
                    service.serviceName(),
                    "path",
                    service.readPath(),
                    "withoutToken",
                    anonymous.statusCode(),
                    "withToken",
                    authorized.statusCode(),
                    "ok",
                    ok));
        }
        report.put("calls", calls);

        LocalService publisher =
                LocalService.valueOf(from.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        var ping = send(publisher, "POST", "/v1/diagnostics/" + publisher.serviceName() + "/pings", token);
        if (ping.statusCode() != 202) {
            throw new IllegalStateException(
                    publisher.serviceName() + " refused the ping: " + ping.statusCode() + " " + ping.body());
        }
        String pingId = mapper.readTree(ping.body()).get("pingId").asString();
        out.printf(
                "%n2. %s published ConnectorPinged %s on the event bus; waiting for every inbox:%n",
                publisher.serviceName(), pingId);
        List<Map<String, Object>> receipts = new ArrayList<>();
        for (LocalService service : LocalService.values()) {
            JsonNode receipt = awaitReceipt(service, pingId, token);
            if (receipt == null) {
                out.printf(
                        "   %-16s not received within %d s   FAILED%n",
                        service.serviceName(), EVENT_TIMEOUT.toSeconds());
                failures.add(service.serviceName() + " did not receive the ping");
                receipts.add(Map.of("service", service.serviceName(), "received", false));
                continue;
            }
            long millis = Duration.between(
                            Instant.parse(receipt.get("sentAt").asString()),
                            Instant.parse(receipt.get("receivedAt").asString()))
                    .toMillis();
            out.printf(
                    "   %-16s received from %s after %d ms   ok%n",
                    service.serviceName(), receipt.get("fromService").asString(), millis);
            receipts.add(Map.of("service", service.serviceName(), "received", true, "latencyMillis", millis));
        }
        report.put("ping", Map.of("pingId", pingId, "from", publisher.serviceName(), "receipts", receipts));
        if (endpoint != null && failures.isEmpty()) {
            var vault = demoVault(token, out, failures);
            report.put("vault", vault);
            if (failures.isEmpty() && !skipBackup) {
                boolean terminal =
                        !json && System.console() != null && System.console().isTerminal();
                report.put("backup", new BackupDemo(endpoint, region, out, terminal, failures).run(token, (String)
                                java.util.Objects.requireNonNull(vault.get("vaultId")))); // no failure: created
                report.put("scan", ScanDemo.afterBackup(report.get("backup"), token, out, failures));
                report.put("files", FileDemo.afterBackup(report.get("backup"), token, out, failures));
                PolicyDemo.local(out, failures).afterBackup(token, report);
                report.put("lock", LockDemo.afterBackup(endpoint, region, report, token, out, failures));
                report.put("restoreTest", RestoreTestDemo.afterBackup(report.get("backup"), token, out, failures));
            }
        }
        report.put("ok", failures.isEmpty());
        report.put("failures", failures);

        if (json) {
            System.out.println(mapper.writeValueAsString(report));
        } else {
            out.println();
            out.println(
                    failures.isEmpty()
                            ? "Smoke flow passed: 6 services secured, events flow bus → rules → inboxes → listeners"
                                    + (endpoint == null
                                            ? "."
                                            : skipBackup
                                                    ? ", a vault is active."
                                                    : ", a volume was backed up, incrementally too, and restored byte for"
                                                            + " byte, scanned, protected by a policy's scheduled"
                                                            + " backup, its locked point survived an attacker and"
                                                            + " passed a restore test.")
                            : "Smoke flow FAILED: " + String.join("; ", failures));
        }
        return failures.isEmpty() ? 0 : 1;
    }

    /**
     * The vault the demo uses: the active one named {@code demo}, or a new one in the emulator's default VPC
     * (its stack deployed through CloudFormation, its ScaleZ repository initialised with its KMS key).
     */
    private Map<String, Object> demoVault(String token, PrintStream out, List<String> failures)
            throws IOException, InterruptedException {
        out.printf("%n3. A vault: its stack, bucket, KMS key and ScaleZ repository:%n");
        Instant started = Instant.now();
        String id = null;
        for (JsonNode vault : mapper.readTree(send(LocalService.CATALOG, "GET", "/v1/vaults?limit=500", token)
                        .body())
                .path("items")) {
            if (vault.path("name").asString().equals("demo")
                    && !vault.path("status").asString().equals("failed")) {
                id = vault.get("id").asString();
            }
        }
        if (id == null) {
            List<String> network = defaultNetwork();
            String subnets = String.join(
                    ",",
                    network.subList(1, network.size()).stream()
                            .map(s -> '"' + s + '"')
                            .toList());
            var created = send(
                    LocalService.CATALOG,
                    "POST",
                    "/v1/vaults",
                    token,
                    "{\"name\":\"demo\",\"region\":\"" + region + "\",\"vpcId\":\"" + network.getFirst()
                            + "\",\"subnetIds\":[" + subnets + "]}");
            if (created.statusCode() != 202) {
                failures.add("catalog refused the demo vault: " + created.statusCode() + " " + created.body());
                return Map.of("active", false);
            }
            id = mapper.readTree(created.body()).get("id").asString();
            out.printf("   POST /v1/vaults → 202, %s creating%n", id);
        }
        JsonNode vault = null;
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline)) {
            vault = mapper.readTree(
                    send(LocalService.CATALOG, "GET", "/v1/vaults/" + id, token).body());
            if (!vault.path("status").asString().equals("creating")) {
                break;
            }
            Thread.sleep(1000);
        }
        if (vault == null || !vault.path("status").asString().equals("active")) {
            failures.add("vault " + id + " did not become active: " + vault);
            return Map.of("vaultId", id, "active", false);
        }
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        out.printf(
                "   %s active after %d s: bucket %s, key %s   ok%n",
                id,
                seconds,
                vault.get("bucketName").asString(),
                vault.get("kmsKeyArn").asString());
        return Map.of(
                "vaultId",
                id,
                "active",
                true,
                "bucketName",
                vault.get("bucketName").asString(),
                "kmsKeyArn",
                vault.get("kmsKeyArn").asString(),
                "seconds",
                seconds);
    }

    /** The default VPC of the emulated region and two of its subnets: [vpcId, subnetId...]. */
    private List<String> defaultNetwork() {
        var clients = new io.cloudconnector.common.aws.AwsClientFactory(
                io.cloudconnector.common.aws.AwsProperties.of(region, endpoint).withStaticCredentials("test", "test"));
        try (var ec2 = clients.sync(software.amazon.awssdk.services.ec2.Ec2Client.builder())) {
            String vpc = ec2.describeVpcs(
                            b -> b.filters(f -> f.name("is-default").values("true")))
                    .vpcs()
                    .getFirst()
                    .vpcId();
            List<String> network = new ArrayList<>(List.of(vpc));
            ec2.describeSubnets(b -> b.filters(f -> f.name("vpc-id").values(vpc))).subnets().stream()
                    .map(software.amazon.awssdk.services.ec2.model.Subnet::subnetId)
                    .sorted()
                    .limit(2)
                    .forEach(network::add);
            return network;
        }
    }

    private @org.jspecify.annotations.Nullable JsonNode awaitReceipt(LocalService service, String pingId, String token)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(EVENT_TIMEOUT);
        long pause = 100;
        while (Instant.now().isBefore(deadline)) {
            var response = send(service, "GET", "/v1/diagnostics/" + service.serviceName() + "/pings/" + pingId, token);
            if (response.statusCode() == 200) {
                return mapper.readTree(response.body());
            }
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 1000);
        }
        return null;
    }

    private HttpResponse<String> send(
            LocalService service, String method, String path, @org.jspecify.annotations.Nullable String token)
            throws IOException, InterruptedException {
        return send(service, method, path, token, null);
    }

    private HttpResponse<String> send(
            LocalService service,
            String method,
            String path,
            @org.jspecify.annotations.Nullable String token,
            @org.jspecify.annotations.Nullable String json)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
                .timeout(Duration.ofSeconds(15))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
