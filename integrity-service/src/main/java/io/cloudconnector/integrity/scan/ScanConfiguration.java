package io.cloudconnector.integrity.scan;

import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.integrity.config.IntegrityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.batch.BatchClient;

/**
 * Where scans run, by {@code connector.integrity.scan-mode}. A Batch worker builds one too but never
 * dispatches: it has no web server and no inbox.
 */
@Configuration(proxyBeanMethods = false)
class ScanConfiguration {

    @Bean
    ScanDispatcher scanDispatcher(
            IntegrityProperties properties,
            ScanExecution execution,
            ScanCompletion completion,
            ScanStore store,
            BatchClient batch,
            ConnectorProperties connector) {
        return switch (properties.scanMode()) {
            case LOCAL -> new LocalScanDispatcher(execution, completion, store, properties.localScans());
            case BATCH -> new BatchScanDispatcher(batch, execution, store, connector.id());
        };
    }
}
