package io.cloudconnector.inventory.discovery;

import io.cloudconnector.inventory.config.InventoryProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AWS account the connector runs in, for asset ids: {@code inventory.account-id}, else asked of STS
 * once (GetCallerIdentity needs no permission) and remembered; a failed call is tried again next time.
 */
@Component
class AccountId {

    private final StsClient sts;
    private volatile @Nullable String value;

    AccountId(InventoryProperties properties, StsClient sts) {
        this.sts = sts;
        this.value = properties.accountId();
    }

    String value() {
        String known = value;
        if (known == null) {
            known = sts.getCallerIdentity().account();
            value = known;
        }
        return known;
    }
}
