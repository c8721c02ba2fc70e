package io.cloudconnector.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Settings the emulator accepts but does not apply when it creates the stack (table PITR, TTL and SSE;
 * bucket versioning, public access block, lifecycle and Object Lock; job timeouts; capacity providers;
 * service networking), so they are asserted on the template. The ITs read back what the emulator does apply.
 */
class TemplateSettingsTests {

    private static final Template CONNECTOR = Template.load(Template.CONNECTOR);
    private static final Template VAULT = Template.load(Template.VAULT);

    /** Types that need the VPC, subnets and images, and so exist only in full mode. */
    private static final Set<String> COMPUTE_TYPES = Set.of(
            "AWS::ECS::Cluster",
            "AWS::ECS::Service",
            "AWS::ECS::TaskDefinition",
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::ListenerRule",
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::SecurityGroupIngress",
            "AWS::IAM::Role",
            "AWS::Logs::LogGroup");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "CatalogTable",
                "ProvisionerTable",
                "JobstatusTable",
                "BackgroundJobsTable",
                "IntegrityTable",
                "InventoryTable"
            })
    void serviceTablesKeepTheirSchemaAndProtection(String table) {
        var properties = CONNECTOR.properties(table);

        assertThat(properties.get("KeySchema"))
                .isEqualTo(List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")));
        assertThat(Template.list(properties.get("GlobalSecondaryIndexes")))
                .singleElement()
                .isEqualTo(Map.of(
                        "IndexName", "gsi1",
                        "KeySchema",
                                List.of(
                                        Map.of("AttributeName", "gsi1pk", "KeyType", "HASH"),
                                        Map.of("AttributeName", "gsi1sk", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "ALL")));
        assertProtected(properties);
    }

    @Test
    void theVaultTableIsProtectedAndExpiresLeases() {
        var properties = VAULT.properties("VaultTable");

        assertThat(properties.get("KeySchema"))
                .isEqualTo(List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE")));
        assertProtected(properties);
    }

    private static void assertProtected(Map<String, Object> table) {
        assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.get("PointInTimeRecoverySpecification")).isEqualTo(Map.of("PointInTimeRecoveryEnabled", true));
        assertThat(table.get("SSESpecification")).isEqualTo(Map.of("SSEEnabled", true));
        assertThat(table.get("TimeToLiveSpecification"))
                .isEqualTo(Map.of("AttributeName", "expiresAt", "Enabled", true));
    }

    @Test
    void theServicesContractOutputsExistInEveryMode() {
        var contract = new ArrayList<>(List.of("EventBusName", "EventBusArn"));
        for (var service : ConnectorService.ALL) {
            contract.addAll(List.of(
                    service.logicalPrefix() + "TableName",
                    service.logicalPrefix() + "InboxQueueUrl",
                    service.logicalPrefix() + "InboxDlqUrl"));
        }

        assertThat(CONNECTOR.outputs()).containsKeys(contract.toArray(String[]::new));
        contract.forEach(output -> assertThat(Template.asMap(CONNECTOR.outputs().get(output)))
                .as(output)
                .doesNotContainKey("Condition"));
    }

    @Test
    void computeIsSkippedInLocalModeAndMessagingNever() {
        CONNECTOR.resources().forEach((id, value) -> {
            var resource = Template.asMap(value);
            var isCompute = COMPUTE_TYPES.contains((String) resource.get("Type"));
            assertThat(resource.get("Condition")).as(id).isEqualTo(isCompute ? "Compute" : null);
        });
        assertThat(Template.asMap(CONNECTOR.root().get("Conditions")).get("Compute"))
                .isEqualTo(Map.of("Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "VpcId"), "")))));
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.ConnectorService#ALL")
    void aServiceRunsPrivatelyOnFargateBehindItsTargetGroup(ConnectorService service) {
        var id = service.logicalPrefix();
        var task = CONNECTOR.properties(id + "TaskDefinition");
        var container =
                Template.asMap(Template.list(task.get("ContainerDefinitions")).getFirst());
        var port = Template.asMap(Template.list(container.get("PortMappings")).getFirst())
                .get("ContainerPort");
        var ecsService = CONNECTOR.properties(id + "Service");
        var network = Template.map(Template.map(ecsService, "NetworkConfiguration"), "AwsvpcConfiguration");

        assertThat(task.get("RequiresCompatibilities")).isEqualTo(List.of("FARGATE"));
        assertThat(task.get("NetworkMode")).isEqualTo("awsvpc");
        assertThat(task.get("TaskRoleArn")).isEqualTo(Map.of("Fn::GetAtt", List.of(id + "TaskRole", "Arn")));
        assertThat(container.get("ReadonlyRootFilesystem")).isEqualTo(true);
        assertThat(network.get("AssignPublicIp")).isEqualTo("DISABLED");
        assertThat(network.get("Subnets")).isEqualTo(Map.of("Ref", "PrivateSubnetIds"));
        assertThat(ecsService.get("LoadBalancers"))
                .isEqualTo(List.of(Map.of(
                        "ContainerName",
                        service.name(),
                        "ContainerPort",
                        port,
                        "TargetGroupArn",
                        Map.of("Ref", id + "TargetGroup"))));
        assertThat(CONNECTOR.properties(id + "TargetGroup").get("Port")).isEqualTo(port);
        assertThat(Template.asMap(
                        Template.map(ecsService, "DeploymentConfiguration").get("DeploymentCircuitBreaker")))
                .isEqualTo(Map.of("Enable", true, "Rollback", true));
    }

    @Test
    void theDeployedIntegrityServiceRunsScansOnAwsBatchNotInProcess() {
        var container = Template.asMap(
                Template.list(CONNECTOR.properties("IntegrityTaskDefinition").get("ContainerDefinitions"))
                        .getFirst());

        assertThat(Template.list(container.get("Environment")))
                .contains(Map.of("Name", "CONNECTOR_INTEGRITY_SCAN_MODE", "Value", "batch"));
    }

    @Test
    void theSignaturesMirrorParameterIsTheIntegrityServicesFreshclamMirror() {
        var container = Template.asMap(
                Template.list(CONNECTOR.properties("IntegrityTaskDefinition").get("ContainerDefinitions"))
                        .getFirst());

        assertThat(Template.list(container.get("Environment")))
                .contains(Map.of(
                        "Name", "CONNECTOR_INTEGRITY_SIGNATURES_MIRRORS", "Value", Map.of("Ref", "SignaturesMirror")));
    }

    @Test
    void theApiLoadBalancerIsInternal() {
        assertThat(CONNECTOR.properties("ApiLoadBalancer"))
                .containsEntry("Scheme", "internal")
                .containsEntry("Type", "application");
    }

    @Test
    void theServicesOnlyTalkHttpsOutAndOnlyHearTheLoadBalancer() {
        assertThat(CONNECTOR.properties("ServiceSecurityGroup")).doesNotContainKey("SecurityGroupIngress");
        assertThat(Template.list(CONNECTOR.properties("ServiceSecurityGroup").get("SecurityGroupEgress")))
                .singleElement()
                .satisfies(rule -> assertThat(Template.asMap(rule))
                        .containsEntry("IpProtocol", "tcp")
                        .containsEntry("FromPort", 443)
                        .containsEntry("ToPort", 443));
        assertThat(CONNECTOR.resourcesOfType("AWS::EC2::SecurityGroupIngress").values().stream()
                        .map(ingress -> Template.map(ingress, "Properties"))
                        .filter(ingress -> ingress.get("GroupId").equals(Map.of("Ref", "ServiceSecurityGroup"))))
                .singleElement()
                .satisfies(ingress -> assertThat(ingress)
                        .containsEntry("SourceSecurityGroupId", Map.of("Ref", "AlbSecurityGroup"))
                        .containsEntry("FromPort", 8081)
                        .containsEntry("ToPort", 8086));
    }

    @Test
    void theVaultBucketIsVersionedPrivateAndEncryptedWithTheVaultKey() {
        var bucket = VAULT.properties("VaultBucket");
        var encryption = Template.asMap(
                Template.list(Template.map(bucket, "BucketEncryption").get("ServerSideEncryptionConfiguration"))
                        .getFirst());

        assertThat(bucket.get("VersioningConfiguration")).isEqualTo(Map.of("Status", "Enabled"));
        assertThat(bucket.get("PublicAccessBlockConfiguration"))
                .isEqualTo(Map.of(
                        "BlockPublicAcls",
                        true,
                        "BlockPublicPolicy",
                        true,
                        "IgnorePublicAcls",
                        true,
                        "RestrictPublicBuckets",
                        true));
        assertThat(encryption.get("ServerSideEncryptionByDefault"))
                .isEqualTo(Map.of(
                        "SSEAlgorithm", "aws:kms", "KMSMasterKeyID", Map.of("Fn::GetAtt", List.of("VaultKey", "Arn"))));
        assertThat(encryption.get("BucketKeyEnabled")).isEqualTo(true);
        assertThat(bucket.get("OwnershipControls"))
                .isEqualTo(Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced"))));
    }

    @Test
    void theVaultBucketAbortsIncompleteUploadsAndExpiresOnlyNoncurrentVersions() {
        var rules =
                Template.list(Template.map(VAULT.properties("VaultBucket"), "LifecycleConfiguration")
                                .get("Rules"))
                        .stream()
                        .map(Template::asMap)
                        .toList();

        assertThat(rules)
                .allSatisfy(rule -> assertThat(rule)
                        .containsEntry("Status", "Enabled")
                        .doesNotContainKeys("ExpirationInDays", "ExpirationDate", "Transitions"));
        assertThat(rules)
                .anySatisfy(rule -> assertThat(rule.get("AbortIncompleteMultipartUpload"))
                        .isEqualTo(Map.of("DaysAfterInitiation", 2)));
        assertThat(rules)
                .anySatisfy(rule -> assertThat(rule.get("NoncurrentVersionExpiration"))
                        .isEqualTo(Map.of("NoncurrentDays", Map.of("Ref", "NoncurrentVersionRetentionDays"))));
    }

    @Test
    void objectLockIsOptionalAndUsesTheChosenModeAndDays() {
        var bucket = VAULT.properties("VaultBucket");

        assertThat(bucket.get("ObjectLockEnabled"))
                .isEqualTo(Map.of("Fn::If", List.of("ObjectLock", true, Map.of("Ref", "AWS::NoValue"))));
        assertThat(bucket.get("ObjectLockConfiguration"))
                .isEqualTo(Map.of(
                        "Fn::If",
                        List.of(
                                "ObjectLock",
                                Map.of(
                                        "ObjectLockEnabled",
                                        "Enabled",
                                        "Rule",
                                        Map.of(
                                                "DefaultRetention",
                                                Map.of(
                                                        "Mode",
                                                        Map.of("Ref", "ObjectLockMode"),
                                                        "Days",
                                                        Map.of("Ref", "ObjectLockDays")))),
                                Map.of("Ref", "AWS::NoValue"))));
        assertThat(Template.asMap(VAULT.root().get("Conditions")).get("ObjectLock"))
                .isEqualTo(Map.of(
                        "Fn::Not", List.of(Map.of("Fn::Equals", List.of(Map.of("Ref", "ObjectLockMode"), "NONE")))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"WorkerJobDefinition", "ScannerJobDefinition"})
    void jobsTimeOutAndRetryOnlyAReclaimedSpotHost(String jobDefinition) {
        var properties = VAULT.properties(jobDefinition);

        assertThat(properties.get("Timeout"))
                .isEqualTo(Map.of("AttemptDurationSeconds", Map.of("Ref", "JobTimeoutSeconds")));
        assertThat(properties.get("RetryStrategy"))
                .isEqualTo(Map.of(
                        "Attempts", Map.of("Ref", "JobAttempts"),
                        "EvaluateOnExit",
                                List.of(
                                        Map.of("OnStatusReason", "Host EC2*", "Action", "RETRY"),
                                        Map.of("OnReason", "*", "Action", "EXIT"))));
    }

    @Test
    void scalezServersRunOnFargateSpot() {
        var cluster = VAULT.properties("ScalezCluster");

        assertThat(cluster.get("CapacityProviders")).isEqualTo(List.of("FARGATE_SPOT", "FARGATE"));
        assertThat(cluster.get("DefaultCapacityProviderStrategy"))
                .isEqualTo(List.of(Map.of("CapacityProvider", "FARGATE_SPOT", "Weight", 1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"BatchLaunchTemplate", "ScalezServerLaunchTemplate"})
    void instancesRequireImdsV2AndEncryptTheirDisks(String launchTemplate) {
        var data = Template.map(VAULT.properties(launchTemplate), "LaunchTemplateData");

        assertThat(Template.map(data, "MetadataOptions")).containsEntry("HttpTokens", "required");
        assertThat(Template.list(data.get("BlockDeviceMappings")))
                .allSatisfy(mapping ->
                        assertThat(Template.map(Template.asMap(mapping), "Ebs")).containsEntry("Encrypted", true));
    }

    @Test
    void scalezServersOnEc2AreOptInAndTerminateWhenTheyShutDown() {
        assertThat(Template.map(VAULT.parameters(), "ScalezCapacity"))
                .containsEntry("Default", "FARGATE_SPOT")
                .containsEntry("AllowedValues", List.of("FARGATE_SPOT", "EC2_SPOT"));
        for (var id :
                List.of("ScalezServerLaunchTemplate", "ScalezServerInstanceRole", "ScalezServerInstanceProfile")) {
            assertThat(VAULT.resource(id)).as(id).containsEntry("Condition", "Ec2Servers");
        }
        var data = Template.map(VAULT.properties("ScalezServerLaunchTemplate"), "LaunchTemplateData");
        assertThat(data)
                .containsEntry("InstanceInitiatedShutdownBehavior", "terminate")
                .containsEntry(
                        "IamInstanceProfile",
                        Map.of("Arn", Map.of("Fn::GetAtt", List.of("ScalezServerInstanceProfile", "Arn"))));
    }

    @Test
    void theVaultSecurityGroupAllowsHttpsOutAndScalezOnlyWithinItself() {
        var group = VAULT.properties("VaultSecurityGroup");
        var self = Map.of("Ref", "VaultSecurityGroup");

        assertThat(group).doesNotContainKey("SecurityGroupIngress");
        assertThat(Template.list(group.get("SecurityGroupEgress")))
                .singleElement()
                .satisfies(rule -> assertThat(Template.asMap(rule))
                        .containsEntry("IpProtocol", "tcp")
                        .containsEntry("FromPort", 443)
                        .containsEntry("ToPort", 443));
        // The only way in: workers of this vault to its ScaleZ server.
        assertThat(VAULT.resourcesOfType("AWS::EC2::SecurityGroupIngress").values())
                .singleElement()
                .satisfies(ingress -> assertThat(Template.map(ingress, "Properties"))
                        .containsEntry("GroupId", self)
                        .containsEntry("SourceSecurityGroupId", self)
                        .containsEntry("FromPort", 7070)
                        .containsEntry("ToPort", 7070)
                        .doesNotContainKey("CidrIp"));
        assertThat(VAULT.resourcesOfType("AWS::EC2::SecurityGroupEgress").values())
                .singleElement()
                .satisfies(egress -> assertThat(Template.map(egress, "Properties"))
                        .containsEntry("GroupId", self)
                        .containsEntry("DestinationSecurityGroupId", self)
                        .containsEntry("FromPort", 7070)
                        .containsEntry("ToPort", 7070));
    }

    @Test
    void backupDataOutlivesTheVaultStack() {
        for (var id : List.of("VaultBucket", "VaultKey", "VaultKeyAlias")) {
            assertThat(VAULT.resource(id))
                    .as(id)
                    .containsEntry("DeletionPolicy", "Retain")
                    .containsEntry("UpdateReplacePolicy", "Retain");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Template.ACCOUNT, Template.VAULT})
    void templatesCreatedFromTheirBodyFitCloudFormationsLimit(String template) {
        // CreateStack takes at most 51,200 bytes of TemplateBody; the catalog service creates vault stacks that way.
        assertThat(Template.body(template).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(51_200);
    }

    @Test
    void theConnectorTemplateFitsTheTemplateUrlLimit() {
        // Above the TemplateBody limit, so it is installed from S3 (see docs/deploy.md): 1 MB there.
        assertThat(Template.body(Template.CONNECTOR).getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(1_000_000);
    }
}
