package io.cloudconnector.catalog.recoverypoint;

import io.cloudconnector.common.event.PolicyChanged;
import io.cloudconnector.common.event.PolicyDeleted;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The protection-policy events the catalog consumes, for the retention sweep: idempotent and order-independent
 * (the newest version of each policy wins).
 */
@Configuration(proxyBeanMethods = false)
class PolicyEvents {

    @Bean
    EventHandler<PolicyChanged> policyChanged(PolicyRetentions policies) {
        return EventHandler.of(PolicyChanged.class, (envelope, event) -> policies.changed(event));
    }

    @Bean
    EventHandler<PolicyDeleted> policyDeleted(PolicyRetentions policies) {
        return EventHandler.of(PolicyDeleted.class, (envelope, event) -> policies.deleted(event));
    }
}
