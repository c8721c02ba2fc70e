package io.cloudconnector.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The roles, boundary and resource policies of one installation, rendered from the templates with their parameters
 * substituted: account.yaml, connector.yaml in full mode (every task role exists) with the boundary, and one
 * vault.yaml per vault id (rendered on first use). What {@link IamEvaluationTests} evaluates the calls against.
 */
final class IamModel {

    static final String ACCOUNT_ID = "123456789012";
    static final String REGION = "us-east-1";
    /**
     * The tests' installation's pinned vault template (the common test-jar's {@code ConnectorStack} publishes it
     * there and points the catalog at it), as connector.yaml's {@code VaultTemplateUrl}.
     */
    static final String VAULT_TEMPLATE_URL =
            "https://s3.amazonaws.com/cc-test-templates/cloud-connector/test/vault.yaml";

    /** A role as IAM sees it: ARN, identity policies (name to document), boundary, principal tags. */
    record Role(
            String logicalId,
            String arn,
            Map<String, Object> identityPolicies,
            Map<String, Object> boundary,
            Map<String, String> tags) {}

    /** A vault stack's key, bucket and their policies. */
    record Vault(
            String vaultId,
            RenderedTemplate template,
            String bucketArn,
            String keyArn,
            String tableArn,
            Map<String, Object> bucketPolicy,
            Map<String, Object> keyPolicy) {}

    final String connectorId;
    final RenderedTemplate account;
    final RenderedTemplate connector;
    private final Map<String, Vault> vaults = new ConcurrentHashMap<>();
    private final Map<String, Role> roles = new LinkedHashMap<>();

    /** The ARN of the role EventBridge Scheduler sends policy ticks with, as the template hands it to the service. */
    String policySchedulerRoleArn() {
        return connector.arn("PolicySchedulerRole");
    }

    IamModel(String connectorId) {
        this.connectorId = connectorId;
        this.account = new RenderedTemplate(
                Template.load(Template.ACCOUNT), "cloudconnector-account", ACCOUNT_ID, REGION, Map.of());
        var installerArn = account.attribute("InstallerRole", "Arn");
        var boundaryArn = account.physicalId("PermissionsBoundary");
        var connectorParameters = new LinkedHashMap<String, String>();
        connectorParameters.put("ConnectorId", connectorId);
        connectorParameters.put("VpcId", "vpc-0123456789abcdef0");
        connectorParameters.put("PrivateSubnetIds", "subnet-0123456789abcdef0,subnet-0123456789abcdef1");
        connectorParameters.put("ApiIngressCidr", "10.0.0.0/16");
        for (var image : List.of(
                "CatalogImageUri",
                "ProvisionerImageUri",
                "JobstatusImageUri",
                "BackgroundJobsImageUri",
                "InventoryImageUri",
                "ScannerImageUri",
                "IntegrityImageUri")) {
            connectorParameters.put(
                    image, ACCOUNT_ID + ".dkr.ecr." + REGION + ".amazonaws.com/cloud-connector/x:1.0.0");
        }
        connectorParameters.put("TenantPublicKey", "test-key");
        connectorParameters.put("TenantIssuer", "https://tenant.example.com/");
        connectorParameters.put("InstallerRoleArn", installerArn);
        connectorParameters.put("PermissionsBoundaryArn", boundaryArn);
        connectorParameters.put("VaultTemplateUrl", VAULT_TEMPLATE_URL);
        var connectorTemplate = Template.load(Template.CONNECTOR);
        connectorParameters.keySet().retainAll(connectorTemplate.parameters().keySet());
        this.connector = new RenderedTemplate(
                connectorTemplate, connectorId + "-connector", ACCOUNT_ID, REGION, connectorParameters);
        for (var id : connector.template().resourcesOfType("AWS::IAM::Role").keySet()) {
            if (connector.exists(id)) {
                roles.put(id, role(connector, id));
            }
        }
        roles.put("InstallerRole", role(account, "InstallerRole"));
        for (var id : account.template().resourcesOfType("AWS::IAM::Role").keySet()) {
            roles.putIfAbsent(id, role(account, id));
        }
    }

    /** The boundary every connector role carries. */
    Map<String, Object> boundary() {
        return Template.asMap(account.property("PermissionsBoundary", "PolicyDocument"));
    }

    /** A connector-stack role (or the account's), by logical id. */
    Role role(String logicalId) {
        var role = roles.get(logicalId);
        if (role == null) {
            throw new IllegalArgumentException("No role " + logicalId);
        }
        return role;
    }

    Map<String, Role> connectorRoles() {
        return roles;
    }

    /** A vault-stack role of the given vault. */
    Role vaultRole(String vaultId, String logicalId) {
        var vault = vault(vaultId);
        return role(vault.template(), logicalId);
    }

    Vault vault(String vaultId) {
        return vaults.computeIfAbsent(vaultId, id -> {
            var parameters = new LinkedHashMap<String, String>();
            parameters.put("ConnectorId", connectorId);
            parameters.put("VaultId", id);
            parameters.put("VpcId", "vpc-0123456789abcdef0");
            parameters.put("SubnetIds", "subnet-0123456789abcdef0,subnet-0123456789abcdef1");
            parameters.put("WorkerImageUri", "worker:1");
            parameters.put("ScannerImageUri", "scanner:1");
            parameters.put("ObjectLockMode", "GOVERNANCE");
            parameters.put("PermissionsBoundaryArn", account.physicalId("PermissionsBoundary"));
            var vaultTemplate = Template.load(Template.VAULT);
            parameters.keySet().retainAll(vaultTemplate.parameters().keySet());
            var rendered = new RenderedTemplate(vaultTemplate, connectorId + "-" + id, ACCOUNT_ID, REGION, parameters);
            return new Vault(
                    id,
                    rendered,
                    rendered.arn("VaultBucket"),
                    rendered.arn("VaultKey"),
                    rendered.arn("VaultTable"),
                    Template.asMap(rendered.property("VaultBucketPolicy", "PolicyDocument")),
                    Template.asMap(rendered.property("VaultKey", "KeyPolicy")));
        });
    }

    List<String> vaultIds() {
        return new ArrayList<>(vaults.keySet());
    }

    private Role role(RenderedTemplate template, String logicalId) {
        var policies = new LinkedHashMap<String, Object>();
        var inline = template.property(logicalId, "Policies");
        if (inline != null) {
            for (var policy : Template.list(inline)) {
                var map = Template.asMap(policy);
                policies.put(logicalId + "/" + map.get("PolicyName"), map.get("PolicyDocument"));
            }
        }
        var managed = template.template().properties(logicalId).get("ManagedPolicyArns");
        for (var reference : Template.list(managed)) {
            // A managed policy of the same template is rendered; AWS-managed ones (the ECS agent's) are not.
            if (reference instanceof Map<?, ?> ref && ref.get("Ref") instanceof String managedId) {
                policies.put(managedId, template.property(managedId, "PolicyDocument"));
            }
        }
        var boundary = template.property(logicalId, "PermissionsBoundary");
        var tags = new LinkedHashMap<String, String>();
        var tagList = template.property(logicalId, "Tags");
        for (var tag : Template.list(tagList)) {
            var map = Template.asMap(tag);
            tags.put(String.valueOf(map.get("Key")), String.valueOf(map.get("Value")));
        }
        return new Role(
                logicalId, template.attribute(logicalId, "Arn"), policies, boundary == null ? null : boundary(), tags);
    }
}
