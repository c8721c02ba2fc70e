package io.cloudconnector.inventory.config;

import io.cloudconnector.common.aws.AwsClientFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.sts.StsClient;

/** The inventory's settings and the AWS clients only it needs (the shared ones come from {@code common}). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InventoryProperties.class)
class InventoryConfiguration {

    @Bean(destroyMethod = "close")
    Ec2Client ec2Client(AwsClientFactory factory) {
        return factory.sync(Ec2Client.builder());
    }

    @Bean(destroyMethod = "close")
    StsClient stsClient(AwsClientFactory factory) {
        return factory.sync(StsClient.builder());
    }
}
