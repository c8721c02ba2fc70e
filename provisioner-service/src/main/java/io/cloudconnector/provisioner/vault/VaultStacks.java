package io.cloudconnector.provisioner.vault;

import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.vault.VaultResources;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;

/**
 * Reads a vault's stack outputs ({@code <connectorId>-<vaultId>}) once per vault and process: the stack is the
 * catalog's, and its outputs are the vault's compute settings. A vault without a stack (or before it is readable)
 * still has its table, named as the stack would name it.
 */
@Component
public class VaultStacks {

    private final CloudFormationClient cloudFormation;
    private final String connectorId;
    private final Map<String, VaultCompute> known = new ConcurrentHashMap<>();

    VaultStacks(CloudFormationClient cloudFormation, ConnectorProperties connector) {
        this.cloudFormation = cloudFormation;
        this.connectorId = connector.id();
    }

    /** The vault's compute settings; throws when the stack cannot be read (the caller retries at its next pass). */
    public VaultCompute compute(String vaultId) {
        var cached = known.get(vaultId);
        if (cached != null) {
            return cached;
        }
        Map<String, String> outputs = new HashMap<>();
        try {
            cloudFormation.describeStacks(b -> b.stackName(resources(vaultId).stackName())).stacks().stream()
                    .findFirst()
                    .ifPresent(stack -> stack.outputs().forEach(o -> outputs.put(o.outputKey(), o.outputValue())));
        } catch (CloudFormationException e) {
            if (e.statusCode() != 400) {
                throw e;
            }
            // "Stack does not exist": no ECS settings, the table by its conventional name.
        }
        var subnets = outputs.getOrDefault("SubnetIds", "");
        var compute = new VaultCompute(
                outputs.get("ScalezClusterName"),
                outputs.get("ScalezServerTaskDefinitionArn"),
                subnets.isBlank()
                        ? List.of()
                        : Arrays.stream(subnets.split(",")).map(String::strip).toList(),
                outputs.get("SecurityGroupId"),
                outputs.getOrDefault("AssignPublicIp", "DISABLED"),
                outputs.getOrDefault("TableName", resources(vaultId).table()),
                "EC2_SPOT".equals(outputs.get("ScalezCapacity"))
                        ? VaultCompute.Capacity.EC2_SPOT
                        : VaultCompute.Capacity.FARGATE_SPOT,
                outputs.get("ScalezServerLaunchTemplateId"),
                outputs.get("ScalezServerImageUri"),
                outputs.get("LogGroupName"));
        if (compute.cluster() != null) {
            known.put(vaultId, compute);
        }
        return compute;
    }

    private VaultResources resources(String vaultId) {
        return new VaultResources(connectorId, vaultId);
    }
}
