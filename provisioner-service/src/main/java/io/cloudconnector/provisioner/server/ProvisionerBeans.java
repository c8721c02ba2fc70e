package io.cloudconnector.provisioner.server;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.provisioner.config.ProvisionerProperties;
import io.cloudconnector.provisioner.job.JobDemand;
import io.cloudconnector.provisioner.vault.VaultRepository;
import io.cloudconnector.provisioner.vault.VaultStacks;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;

/** Wires the provisioner: the launcher of the configured mode, leases, registrations, and the periodic pass. */
@Configuration(proxyBeanMethods = false)
class ProvisionerBeans {

    @Bean(destroyMethod = "")
    ServerLauncher serverLauncher(
            ProvisionerProperties properties,
            EcsClient ecs,
            Ec2Client ec2,
            AwsProperties aws,
            AwsClientFactory clients,
            ConnectorProperties connector,
            Clock clock) {
        return switch (properties.mode()) {
            case ECS ->
                new AwsServerLauncher(
                        new EcsServerLauncher(ecs, properties),
                        new Ec2ServerLauncher(ec2, properties, connector.id(), clock));
            case LOCAL -> new LocalServerLauncher(properties, aws, clients);
        };
    }

    @Bean
    VaultLeases vaultLeases(DynamoDbClient dynamo, ProvisionerProperties properties) {
        return new VaultLeases(dynamo, properties.leaseDuration());
    }

    @Bean
    ServerRegistrations serverRegistrations(DynamoDbClient dynamo) {
        return new ServerRegistrations(dynamo);
    }

    @Bean
    Provisioner provisioner(
            VaultRepository vaults,
            VaultStacks stacks,
            JobDemand demand,
            ScalezServerRepository servers,
            ServerLauncher launcher,
            VaultLeases leases,
            ServerRegistrations registrations,
            EventPublisher publisher,
            ProvisionerProperties properties,
            Clock clock) {
        return new Provisioner(
                vaults,
                stacks,
                demand,
                servers,
                launcher,
                leases,
                registrations,
                publisher,
                properties,
                clock,
                replicaName());
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    ProvisionerSchedule provisionerSchedule(
            Provisioner provisioner, ServerLauncher launcher, ProvisionerProperties properties) {
        return new ProvisionerSchedule(provisioner, launcher, properties);
    }

    /** Host name and a random suffix: unique per replica and process, readable in the lease item. */
    private static String replicaName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + Ids.ulid();
    }
}
