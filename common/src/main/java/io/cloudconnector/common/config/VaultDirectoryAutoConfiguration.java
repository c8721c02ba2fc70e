package io.cloudconnector.common.config;

import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.messaging.EventHandler;
import io.cloudconnector.common.vault.VaultDirectory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * Feeds a service's {@link VaultDirectory} from its inbox: a service that declares the directory as a bean (with
 * the attributes it keeps of its own) gets the {@code VaultCreated} and {@code VaultDeleted} handlers here, so
 * every consumer registers them the same way.
 */
@AutoConfiguration(after = ConnectorAutoConfiguration.class)
@ConditionalOnBean(VaultDirectory.class)
public class VaultDirectoryAutoConfiguration {

    @Bean
    EventHandler<VaultCreated> vaultCreatedHandler(VaultDirectory directory) {
        return EventHandler.of(VaultCreated.class, directory::created);
    }

    @Bean
    EventHandler<VaultDeleted> vaultDeletedHandler(VaultDirectory directory) {
        return EventHandler.of(VaultDeleted.class, directory::deleted);
    }
}
