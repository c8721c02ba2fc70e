package io.cloudconnector.backgroundjobs.config;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.common.aws.AwsProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import software.amazon.awssdk.services.sts.StsClient;

/** The service's properties and AWS clients. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobsProperties.class)
@EnableScheduling
class BackgroundJobsConfiguration {

    @Bean(destroyMethod = "close")
    AwsClients awsClients(AwsProperties aws) {
        return new AwsClients(aws);
    }

    @Bean(destroyMethod = "close")
    StsClient stsClient(AwsClientFactory factory) {
        return factory.sync(StsClient.builder());
    }
}
