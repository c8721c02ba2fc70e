package io.cloudconnector.integrity.config;

import io.cloudconnector.common.aws.AwsClientFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The integrity service's AWS clients, built alike by the connector's client factory. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IntegrityProperties.class)
class IntegrityConfiguration {

    @Bean(destroyMethod = "close")
    S3Client s3Client(AwsClientFactory factory) {
        return factory.s3();
    }

    @Bean(destroyMethod = "close")
    KmsClient kmsClient(AwsClientFactory factory) {
        return factory.sync(KmsClient.builder());
    }

    @Bean(destroyMethod = "close")
    BatchClient batchClient(AwsClientFactory factory) {
        return factory.sync(BatchClient.builder());
    }

    @Bean(destroyMethod = "close")
    Ec2Client ec2Client(AwsClientFactory factory) {
        return factory.sync(Ec2Client.builder());
    }

    @Bean(destroyMethod = "close")
    SqsClient sqsClient(AwsClientFactory factory) {
        return factory.sync(SqsClient.builder());
    }
}
