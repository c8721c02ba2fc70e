package io.cloudconnector.backgroundjobs.ebs;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.config.JobsMode;
import io.cloudconnector.backgroundjobs.config.JobsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses how backups take snapshots: EC2 always, except in local mode against the emulator (the shim). */
@Configuration(proxyBeanMethods = false)
class SnapshotTakers {

    private static final Logger log = LoggerFactory.getLogger(SnapshotTakers.class);

    @Bean
    SnapshotTaker snapshotTaker(
            JobsProperties properties, AwsClients clients, Snapshots snapshots, BlockTransfers transfers) {
        if (properties.mode() == JobsMode.LOCAL && clients.emulated()) {
            log.warn("Local mode against an emulator: volume snapshots are made by the emulator shim "
                    + "(copies of the volume's seeded content through the EBS direct APIs)");
            return new EmulatorSnapshotShim(transfers, clients);
        }
        return new AwsSnapshotTaker(clients, snapshots);
    }
}
