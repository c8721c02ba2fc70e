package io.cloudconnector.catalog.vault;

import io.cloudconnector.catalog.config.CatalogProperties;
import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.vault.VaultResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * The vault stack: {@code infra/cloudformation/vault.yaml}, packaged into the catalog's jar at build time
 * (the same template customers review), and the parameters a vault's settings give it.
 */
@Component
class VaultTemplate {

    private final String body;
    private final ConnectorProperties connector;
    private final CatalogProperties properties;

    VaultTemplate(ConnectorProperties connector, CatalogProperties properties) {
        this.connector = connector;
        this.properties = properties;
        try (var in = new ClassPathResource("cloudformation/vault.yaml").getInputStream()) {
            this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("The vault template is missing from the catalog's jar", e);
        }
    }

    String body() {
        return body;
    }

    String stackName(Vault vault) {
        return resources(vault).stackName();
    }

    /** The bucket vault.yaml creates. */
    String bucketName(Vault vault) {
        return resources(vault).bucket();
    }

    private VaultResources resources(Vault vault) {
        return new VaultResources(connector.id(), vault.id());
    }

    Map<String, String> parameters(Vault vault) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("ConnectorId", connector.id());
        parameters.put("VaultId", vault.id());
        parameters.put("VpcId", vault.vpcId());
        parameters.put("SubnetIds", String.join(",", vault.subnetIds()));
        parameters.put("SubnetKind", vault.subnetKind() == SubnetKind.PUBLIC ? "public" : "private");
        parameters.put(
                "ObjectLockMode",
                vault.objectLock() == null ? "NONE" : vault.objectLock().mode().name());
        if (vault.objectLock() != null) {
            parameters.put("ObjectLockDays", Integer.toString(vault.objectLock().days()));
        }
        parameters.put("ScalezCapacity", vault.scalezCapacity().name());
        parameters.put("WorkerImageUri", properties.workerImage());
        parameters.put("ScannerImageUri", properties.scannerImage());
        parameters.put("PermissionsBoundaryArn", properties.permissionsBoundaryArn());
        return parameters;
    }
}
