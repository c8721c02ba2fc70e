package io.cloudconnector.scalez.serve;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's open sessions: one per backup, named by a random id, ended by commit, hand-off or delete, or
 * expired after {@code timeout} without a request (the backup died). Waiters on this object are notified when a
 * session ends.
 */
final class Sessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Duration timeout;
    private final int max;
    private final ConcurrentHashMap<String, Session> open = new ConcurrentHashMap<>();

    Sessions(Clock clock, Duration timeout, int max) {
        this.clock = clock;
        this.timeout = timeout;
        this.max = max;
    }

    /** One backup's session. */
    static final class Session {
        private final String id;
        private final String purpose;
        private final AtomicLong storedBytes = new AtomicLong();
        private volatile Instant lastSeen;

        private Session(String id, String purpose, Instant now) {
            this.id = id;
            this.purpose = purpose;
            this.lastSeen = now;
        }

        String id() {
            return id;
        }

        String purpose() {
            return purpose;
        }

        long storedBytes() {
            return storedBytes.get();
        }

        void stored(long bytes) {
            storedBytes.addAndGet(bytes);
        }
    }

    /** A new session, or empty when as many are open as allowed. */
    synchronized Optional<Session> open(String purpose) {
        if (open.size() >= max) {
            return Optional.empty();
        }
        var bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        var session = new Session(HexFormat.of().formatHex(bytes), purpose, clock.instant());
        open.put(session.id(), session);
        return Optional.of(session);
    }

    /** The open session {@code id}, marked as just seen. */
    Optional<Session> touch(String id) {
        var session = open.get(id);
        if (session != null) {
            session.lastSeen = clock.instant();
        }
        return Optional.ofNullable(session);
    }

    /** Ends a session (no-op if it is not open). */
    synchronized void end(String id) {
        if (open.remove(id) != null) {
            notifyAll();
        }
    }

    /** Ends every session idle for longer than the timeout; returns how many. */
    synchronized int expireIdle() {
        var cutoff = clock.instant().minus(timeout);
        int expired = 0;
        for (var session : open.values()) {
            if (session.lastSeen.isBefore(cutoff) && open.remove(session.id()) != null) {
                expired++;
            }
        }
        if (expired > 0) {
            notifyAll();
        }
        return expired;
    }

    int size() {
        return open.size();
    }
}
