package io.cloudconnector.provisioner.server;

import io.cloudconnector.provisioner.config.ProvisionerProperties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs {@link Provisioner#reconcile} every {@code reconcile-interval} (with up to 10 % jitter, so replicas do not
 * move in lock step) unless {@code reconcile-enabled} is false; on shutdown stops the passes, then the local
 * servers this replica started.
 */
final class ProvisionerSchedule implements AutoCloseable {

    private final Provisioner provisioner;
    private final ServerLauncher launcher;
    private final ProvisionerProperties properties;
    private @Nullable ScheduledExecutorService executor;

    ProvisionerSchedule(Provisioner provisioner, ServerLauncher launcher, ProvisionerProperties properties) {
        this.provisioner = provisioner;
        this.launcher = launcher;
        this.properties = properties;
    }

    void start() {
        if (!properties.reconcileEnabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "provisioner-reconcile");
            t.setDaemon(true);
            return t;
        });
        long period = properties.reconcileInterval().toMillis();
        executor.scheduleWithFixedDelay(
                this::pass,
                period + ThreadLocalRandom.current().nextLong(period / 10 + 1),
                period,
                TimeUnit.MILLISECONDS);
    }

    private void pass() {
        try {
            provisioner.reconcile();
        } catch (RuntimeException e) {
            // The vault list could not be read; the next pass tries again.
            org.slf4j.LoggerFactory.getLogger(ProvisionerSchedule.class)
                    .warn("Reconciliation failed: {}", e.toString());
        }
    }

    @Override
    public void close() throws Exception {
        if (executor != null) {
            executor.shutdownNow();
            executor.awaitTermination(30, TimeUnit.SECONDS);
        }
        if (launcher instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
