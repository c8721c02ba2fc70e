package io.cloudconnector.backgroundjobs.policy;

import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.event.AssetChanged;
import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.PolicyTick;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.messaging.EventHandler;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.scheduler.SchedulerClient;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sts.StsClient;

/** Policies' beans and their inbox handlers: ticks, the inventory's asset changes, vault deletions. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PolicyProperties.class)
class PolicyConfiguration {

    @Bean
    PolicyValidator policyValidator(VaultDirectory vaults, PolicyProperties properties) {
        return new PolicyValidator(vaults, properties.minInterval());
    }

    @Bean(destroyMethod = "close")
    SchedulerClient schedulerClient(AwsClientFactory factory) {
        return factory.sync(SchedulerClient.builder());
    }

    @Bean
    PolicySchedules policySchedules(
            PolicyProperties properties,
            SchedulerClient scheduler,
            SqsAsyncClient sqs,
            StsClient sts,
            ConnectorProperties connector) {
        if (properties.local()) {
            return PolicySchedules.NONE;
        }
        String group = properties.scheduleGroup() != null ? properties.scheduleGroup() : connector.id() + "-policies";
        Supplier<String> inbox = memoized(() -> {
            if (properties.inboxQueueArn() != null) {
                return properties.inboxQueueArn();
            }
            String url = sqs.getQueueUrl(b -> b.queueName(connector.inboxQueue()))
                    .join()
                    .queueUrl();
            return sqs.getQueueAttributes(b -> b.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .join()
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
        });
        // The stack's role is named after the connector; the property overrides it.
        Supplier<String> role = memoized(() -> properties.schedulerRoleArn() != null
                ? properties.schedulerRoleArn()
                : "arn:aws:iam::" + sts.getCallerIdentity().account() + ":role/" + connector.id()
                        + "-policy-scheduler");
        return new SchedulerPolicySchedules(scheduler, group, role, inbox, connector.id());
    }

    private static Supplier<String> memoized(Supplier<@Nullable String> supplier) {
        var value = new AtomicReference<@Nullable String>();
        return () -> {
            String known = value.get();
            if (known == null) {
                known = Objects.requireNonNull(supplier.get());
                value.set(known);
            }
            return known;
        };
    }

    @Bean
    @ConditionalOnWebApplication
    @ConditionalOnProperty(name = "connector.policies.scheduler", havingValue = "local")
    LocalPolicyScheduler localPolicyScheduler(
            PolicyStore policies, SqsAsyncClient sqs, EventCodec codec, ConnectorProperties connector, Clock clock) {
        return new LocalPolicyScheduler(
                policies, LocalPolicyScheduler.toInbox(sqs, codec, connector), connector.id(), clock);
    }

    @Bean
    EventHandler<PolicyTick> policyTickHandler(PolicyTicks ticks) {
        return EventHandler.of(PolicyTick.class, (envelope, tick) -> ticks.tick(tick.policyId(), tick.scheduledAt()));
    }

    @Bean
    EventHandler<AssetChanged> policyAssetChangedHandler(PolicyAssets assets) {
        return EventHandler.of(AssetChanged.class, assets::apply);
    }

    @Bean
    EventHandler<VaultDeleted> policyVaultDeletedHandler(PolicyService policies) {
        return EventHandler.of(VaultDeleted.class, (envelope, event) -> policies.vaultDeleted(event.vaultId()));
    }
}
