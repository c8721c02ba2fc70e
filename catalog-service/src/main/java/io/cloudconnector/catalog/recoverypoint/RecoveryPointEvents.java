package io.cloudconnector.catalog.recoverypoint;

import io.cloudconnector.common.event.RecoveryPointCreated;
import io.cloudconnector.common.event.RecoveryPointDeleted;
import io.cloudconnector.common.event.RecoveryPointRestoreTested;
import io.cloudconnector.common.event.RecoveryPointScanned;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The recovery-point events the catalog consumes; each handler is idempotent and order-independent. */
@Configuration(proxyBeanMethods = false)
class RecoveryPointEvents {

    @Bean
    EventHandler<RecoveryPointCreated> recoveryPointCreated(RecoveryPointRepository points) {
        return EventHandler.of(RecoveryPointCreated.class, (envelope, event) -> points.record(event));
    }

    @Bean
    EventHandler<RecoveryPointScanned> recoveryPointScanned(RecoveryPointRepository points) {
        return EventHandler.of(
                RecoveryPointScanned.class,
                (envelope, event) -> points.recordScan(
                        event.recoveryPointId(), ScanStatus.of(event.verdict()), event.reportId(), envelope.time()));
    }

    @Bean
    EventHandler<RecoveryPointRestoreTested> recoveryPointRestoreTested(RecoveryPointRepository points) {
        return EventHandler.of(
                RecoveryPointRestoreTested.class,
                (envelope, event) -> points.recordRestoreTest(
                        event.recoveryPointId(),
                        new RestoreTest(
                                event.passed(),
                                event.testedAt(),
                                event.recoveryTimeSeconds(),
                                event.reasons(),
                                event.jobId())));
    }

    /** Deletions the catalog itself published come back here too: the second time is a no-op. */
    @Bean
    EventHandler<RecoveryPointDeleted> recoveryPointDeleted(RecoveryPointRepository points) {
        return EventHandler.of(
                RecoveryPointDeleted.class,
                (envelope, event) -> points.transition(
                        event.recoveryPointId(), event.vaultId(), RecoveryPointState.DELETED, envelope.time()));
    }
}
