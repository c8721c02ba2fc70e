package io.cloudconnector.provisioner.config;

import io.cloudconnector.common.aws.AwsClientFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ecs.EcsClient;

/** The provisioner's settings and the AWS clients only it needs (the shared ones come from {@code common}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProvisionerProperties.class)
class ProvisionerConfiguration {

    @Bean(destroyMethod = "close")
    EcsClient ecsClient(AwsClientFactory factory) {
        return factory.sync(EcsClient.builder());
    }

    @Bean(destroyMethod = "close")
    Ec2Client ec2Client(AwsClientFactory factory) {
        return factory.sync(Ec2Client.builder());
    }

    @Bean(destroyMethod = "close")
    CloudFormationClient cloudFormationClient(AwsClientFactory factory) {
        return factory.sync(CloudFormationClient.builder());
    }
}
