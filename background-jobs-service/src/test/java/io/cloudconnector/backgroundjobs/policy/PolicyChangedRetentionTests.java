package io.cloudconnector.backgroundjobs.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.PolicyChanged;
import org.junit.jupiter.api.Test;

/** The retention a {@code PolicyChanged} carries to the catalog: the policy's rules, an unset rule as 0. */
class PolicyChangedRetentionTests {

    @Test
    void everyRuleIsCarriedAndAnUnsetRuleIsZero() {
        var rules = new Policy.Retention(7, null, 14, null, 12, 3);

        assertThat(PolicyService.retention(rules)).isEqualTo(new PolicyChanged.Retention(7, 0, 14, 0, 12, 3));
    }

    @Test
    void aPolicyWithoutRetentionSaysNothingOfIt() {
        assertThat(PolicyService.retention(null)).isNull();
    }
}
