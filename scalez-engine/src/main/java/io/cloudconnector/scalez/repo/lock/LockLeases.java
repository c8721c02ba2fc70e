package io.cloudconnector.scalez.repo.lock;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** What every {@link RepositoryLocks} lease shares: who holds it, and the background refresh every third of its TTL. */
final class LockLeases {

    private LockLeases() {}

    /** This process as a lock's owner: host name and pid. */
    static String owner() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return host + " pid " + ManagementFactory.getRuntimeMXBean().getPid();
    }

    /** Runs {@code refresh} every third of {@code ttl} on a daemon thread until the returned executor is shut down. */
    static ScheduledExecutorService refreshing(Duration ttl, Runnable refresh) {
        var refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "scalez-lock-refresh");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, ttl.toMillis() / 3);
        refresher.scheduleAtFixedRate(refresh, period, period, TimeUnit.MILLISECONDS);
        return refresher;
    }
}
