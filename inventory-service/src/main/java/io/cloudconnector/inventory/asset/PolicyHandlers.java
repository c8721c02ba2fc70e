package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.event.PolicyChanged;
import io.cloudconnector.common.event.PolicyDeleted;
import io.cloudconnector.common.messaging.EventHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The inbox handlers of background-jobs' policy events: the policy stored (newest version wins), then, if it was
 * news, every asset's protection status settled against the new set of policies. A redelivered event stores
 * nothing and settles nothing; a pass interrupted half-way is finished by the periodic one.
 */
@Configuration(proxyBeanMethods = false)
class PolicyHandlers {

    @Bean
    EventHandler<PolicyChanged> policyChangedHandler(Policies policies, ProtectionStatuses statuses) {
        return EventHandler.of(PolicyChanged.class, (envelope, event) -> {
            if (policies.changed(event)) {
                statuses.pass();
            }
        });
    }

    @Bean
    EventHandler<PolicyDeleted> policyDeletedHandler(Policies policies, ProtectionStatuses statuses) {
        return EventHandler.of(PolicyDeleted.class, (envelope, event) -> {
            if (policies.deleted(event)) {
                statuses.pass();
            }
        });
    }
}
