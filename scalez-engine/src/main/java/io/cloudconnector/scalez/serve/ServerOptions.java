package io.cloudconnector.scalez.serve;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;

/**
 * How a ScaleZ server runs: where it listens, the SHA-256 of the token clients must present, how long an idle
 * session lives, the memory bounds (largest request; request bytes held at once, beyond which requests wait and
 * then get 503 busy; sessions at once), how long a drain may take, and the clock.
 */
public record ServerOptions(
        InetSocketAddress listen,
        byte[] tokenSha256,
        Duration sessionTimeout,
        int maxRequestBytes,
        int maxInFlightBytes,
        int maxSessions,
        Duration drainTimeout,
        Clock clock) {

    public ServerOptions {
        tokenSha256 = tokenSha256.clone();
        if (tokenSha256.length != 32) {
            throw new IllegalArgumentException(
                    "The token hash must be a SHA-256 (32 bytes), was " + tokenSha256.length);
        }
        if (maxRequestBytes < 1 << 20 || maxInFlightBytes < maxRequestBytes || maxSessions < 1) {
            throw new IllegalArgumentException(
                    "Need maxRequestBytes >= 1 MiB, maxInFlightBytes >= maxRequestBytes and" + " maxSessions >= 1");
        }
    }

    /**
     * 10-minute sessions, requests up to 24 MiB (a blob is at most 8 MiB + 28 bytes), 64 MiB of requests at once,
     * 64 sessions, 25 s to drain (ECS gives 30 s between SIGTERM and SIGKILL).
     */
    public static ServerOptions defaults(InetSocketAddress listen, byte[] tokenSha256) {
        return new ServerOptions(
                listen,
                tokenSha256,
                Duration.ofMinutes(10),
                24 << 20,
                64 << 20,
                64,
                Duration.ofSeconds(25),
                Clock.systemUTC());
    }

    /** With another idle-session timeout. */
    public ServerOptions withSessionTimeout(Duration timeout) {
        return new ServerOptions(
                listen, tokenSha256, timeout, maxRequestBytes, maxInFlightBytes, maxSessions, drainTimeout, clock);
    }

    /** With other memory bounds. */
    public ServerOptions withLimits(int requestBytes, int inFlightBytes, int sessions) {
        return new ServerOptions(
                listen, tokenSha256, sessionTimeout, requestBytes, inFlightBytes, sessions, drainTimeout, clock);
    }

    /** With another clock. */
    public ServerOptions withClock(Clock c) {
        return new ServerOptions(
                listen, tokenSha256, sessionTimeout, maxRequestBytes, maxInFlightBytes, maxSessions, drainTimeout, c);
    }

    @Override
    public byte[] tokenSha256() {
        return tokenSha256.clone();
    }
}
