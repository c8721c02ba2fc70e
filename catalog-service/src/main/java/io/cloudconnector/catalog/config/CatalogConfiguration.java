package io.cloudconnector.catalog.config;

import io.cloudconnector.common.aws.AwsProperties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The catalog's own beans: regional clients and the bounded executor vault stacks are deployed on. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(CatalogProperties.class)
class CatalogConfiguration {

    @Bean
    RegionalClients regionalClients(AwsProperties aws) {
        return new RegionalClients(aws);
    }

    /**
     * Vault stacks are slow (minutes in AWS) and few: a small fixed pool, with a bounded queue so that a
     * burst cannot pile up unbounded work; the reconciler picks up whatever a full queue refused.
     */
    @Bean(destroyMethod = "shutdown")
    ExecutorService vaultWorkers(CatalogProperties properties) {
        return new ThreadPoolExecutor(
                properties.provisioningThreads(),
                properties.provisioningThreads(),
                0,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(64),
                Thread.ofVirtual().name("vault-", 0).factory(),
                new ThreadPoolExecutor.DiscardPolicy());
    }
}
