package io.cloudconnector.backgroundjobs.job;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.config.JobsMode;
import io.cloudconnector.backgroundjobs.config.JobsProperties;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.config.ConnectorProperties;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The launcher of {@code connector.jobs.mode}, behind the per-vault limit of policy backups
 * ({@code connector.policies.vault-concurrency}, 8).
 */
@Configuration(proxyBeanMethods = false)
class JobLaunchers {

    @Bean
    JobLauncher jobLauncher(
            JobsProperties properties,
            JobRunner runner,
            AwsClients clients,
            VaultDirectory vaults,
            JobStore store,
            ConnectorProperties connector,
            @Value("${connector.policies.vault-concurrency:8}") int vaultConcurrency) {
        JobLauncher launcher = properties.mode() == JobsMode.LOCAL
                ? new LocalJobLauncher(runner, properties.localThreads(), properties.localQueue())
                : new BatchJobLauncher(clients, vaults, store, connector.id());
        return new VaultConcurrencyLimit(launcher, vaultConcurrency);
    }
}
