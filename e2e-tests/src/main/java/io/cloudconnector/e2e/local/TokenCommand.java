package io.cloudconnector.e2e.local;

import io.cloudconnector.common.security.DevTokenMinter;
import io.cloudconnector.common.security.Scopes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints a token signed by the local development key. */
@Command(name = "token", description = "Print a bearer token signed by the local development key.")
final class TokenCommand implements Callable<Integer> {

    /** The longest lifetime the services accept by default. */
    static final Duration MAX_TTL = Duration.ofHours(1);

    @Option(names = "--key", required = true, description = "The development private key (PEM).")
    Path key;

    @Option(
            names = "--audience",
            required = true,
            description = "The connector the token is for: <account>:<region>:<connector id>.")
    String audience;

    @Option(names = "--scopes", split = ",", description = "Scopes to grant (default: all of them).")
    List<String> scopes = Scopes.ALL;

    @Option(
            names = "--ttl",
            description = "Lifetime, ISO-8601 or e.g. 1h, 30m (default: ${DEFAULT-VALUE}).",
            defaultValue = "1h")
    String ttl;

    @Option(
            names = "--subject",
            description = "The token's subject (default: ${DEFAULT-VALUE}).",
            defaultValue = "local-developer")
    String subject;

    @Override
    public Integer call() throws IOException {
        for (String scope : scopes) {
            if (!Scopes.ALL.contains(scope)) {
                throw new IllegalArgumentException(
                        "unknown scope '" + scope + "'; known: " + String.join(",", Scopes.ALL));
            }
        }
        Duration lifetime = parseDuration(ttl);
        if (lifetime.compareTo(MAX_TTL) > 0 || lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("--ttl must be positive and at most " + MAX_TTL.toMinutes()
                    + " minutes: services refuse longer-lived tokens (connector.security.max-token-lifetime)");
        }
        System.out.println(minter(key).mint(subject, audience, scopes, Instant.now(), lifetime));
        return 0;
    }

    static DevTokenMinter minter(Path key) throws IOException {
        if (!Files.exists(key)) {
            throw new IllegalArgumentException("no development key at " + key + "; run ./connector up first");
        }
        return new DevTokenMinter(DevTokenMinter.parsePrivateKey(Files.readString(key)));
    }

    static Duration parseDuration(String text) {
        String upper = text.strip().toUpperCase(java.util.Locale.ROOT);
        try {
            return Duration.parse(upper.startsWith("P") ? upper : "PT" + upper);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (try 1h, 30m or PT2H)");
        }
    }
}
