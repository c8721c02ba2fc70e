package io.cloudconnector.infra;

import static io.cloudconnector.common.testing.EmulatorClients.client;
import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.EmulatedAccount;
import io.cloudconnector.common.testing.EmulatorClients;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.FieldSource;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.CRAllocationStrategy;
import software.amazon.awssdk.services.batch.model.CRType;
import software.amazon.awssdk.services.batch.model.JobDefinition;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * A production installation, in the documented order, into the emulator: account.yaml, then
 * connector.yaml with a VPC, private subnets and images (from S3, as its size requires), then one
 * vault.yaml. Each resource is read back through its service's API.
 */
@WithAwsEmulator
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FullInstallationIT {

    private static final String CONNECTOR_ID = "cc-prod";
    private static final String VAULT_ID = "vlt-01hzx3k9q8f7t6r5e4w3q2a1s0";
    private static final String JWKS = "https://tenant.example.com/.well-known/jwks.json";
    private static final String REGISTRY = AwsEmulator.ACCOUNT_ID + ".dkr.ecr.us-east-1.amazonaws.com/cloud-connector/";

    private AwsEmulator emulator;
    private EmulatedAccount network;
    private Map<String, String> account;
    private Map<String, String> connector;
    private Map<String, String> vault;

    @BeforeAll
    void install(AwsEmulator emulator) {
        this.emulator = emulator;
        var deployer = new StackDeployer(emulator);
        network = EmulatedAccount.create(emulator, AwsEmulator.REGION);

        account = deployer.createFromBody("cloudconnector-account", Template.ACCOUNT, Map.of());

        var connectorParameters = new HashMap<String, String>();
        connectorParameters.put("ConnectorId", CONNECTOR_ID);
        connectorParameters.put("TenantJwksUrl", JWKS);
        connectorParameters.put("TenantIssuer", "https://tenant.example.com/");
        connectorParameters.put("VpcId", network.vpcId());
        connectorParameters.put("PrivateSubnetIds", network.privateSubnetsParameter());
        connectorParameters.put("ApiIngressCidr", "10.0.0.0/8");
        // The emulator has no ACM: a test stack, which the rules let listen on plain HTTP.
        connectorParameters.put("AllowPlainHttp", "true");
        connectorParameters.put("Production", "false");
        connectorParameters.put("InstallerRoleArn", account.get("InstallerRoleArn"));
        connectorParameters.put("PermissionsBoundaryArn", account.get("PermissionsBoundaryArn"));
        // Integrity runs from the scanner image (it has freshclam): no image parameter of its own.
        ConnectorService.ALL.stream()
                .filter(service -> !service.name().equals("integrity"))
                .forEach(service -> connectorParameters.put(service.output("ImageUri"), image(service.name())));
        connectorParameters.put("ScannerImageUri", image("integrity-scanner"));
        connector = deployer.createFromS3(CONNECTOR_ID, Template.CONNECTOR, connectorParameters);

        vault = deployer.createFromBody(
                CONNECTOR_ID + "-" + VAULT_ID,
                Template.VAULT,
                Map.of(
                        "ConnectorId", CONNECTOR_ID,
                        "VaultId", VAULT_ID,
                        "VpcId", network.vpcId(),
                        "SubnetIds", network.privateSubnetsParameter(),
                        "WorkerImageUri", image("background-jobs"),
                        "ScannerImageUri", image("integrity-scanner"),
                        "PermissionsBoundaryArn", account.get("PermissionsBoundaryArn")));
    }

    /** A service's image, or the scanner image ({@code integrity-scanner}, built by {@code ./connector images}). */
    private static String image(String service) {
        return REGISTRY + (service.endsWith("-scanner") ? service : service + "-service") + ":1.0.0";
    }

    // --- account.yaml ---------------------------------------------------------------------------------

    @Test
    void theInstallerRoleIsACloudFormationServiceRole() {
        var iam = client(emulator, IamClient.builder());
        var roleName = account.get("InstallerRoleArn")
                .substring(account.get("InstallerRoleArn").lastIndexOf('/') + 1);

        var role = iam.getRole(request -> request.roleName(roleName)).role();

        assertThat(role.path()).isEqualTo("/cloudconnector-installer/");
        assertThat(URLDecoder.decode(role.assumeRolePolicyDocument(), StandardCharsets.UTF_8))
                .contains("cloudformation.amazonaws.com");
        assertThat(iam.listRolePolicies(request -> request.roleName(roleName)).policyNames())
                .containsExactly("install-connector-and-vaults");
        assertThat(iam.getPolicy(request -> request.policyArn(account.get("PermissionsBoundaryArn")))
                        .policy()
                        .arn())
                .isEqualTo(account.get("PermissionsBoundaryArn"));
    }

    @Test
    void everyConnectorAndVaultRoleIsUnderTheConnectorPathAndTheAccountBoundary() {
        var iam = client(emulator, IamClient.builder());
        var roles =
                iam.listRoles(request -> request.pathPrefix("/cloudconnector/" + CONNECTOR_ID + "/")).roles().stream()
                        .map(listed -> iam.getRole(request -> request.roleName(listed.roleName()))
                                .role())
                        .toList();

        // 6 task roles, the execution role and the policies' scheduler role; the vault's worker, scanner, ScaleZ task,
        // ScaleZ execution and instance roles.
        assertThat(roles)
                .hasSize(13)
                .allSatisfy(role -> assertThat(role.permissionsBoundary().permissionsBoundaryArn())
                        .as(role.roleName())
                        .isEqualTo(account.get("PermissionsBoundaryArn")));
        assertThat(roles).extracting(Role::roleName).anyMatch(name -> name.contains("CatalogTaskRole"));
    }

    // --- connector.yaml -------------------------------------------------------------------------------

    @Test
    void theApiIsAnInternalLoadBalancerInThePrivateSubnets() {
        var loadBalancer = client(emulator, ElasticLoadBalancingV2Client.builder())
                .describeLoadBalancers()
                .loadBalancers()
                .getFirst();

        assertThat(loadBalancer.schemeAsString()).isEqualTo("internal");
        assertThat(loadBalancer.vpcId()).isEqualTo(network.vpcId());
        assertThat(loadBalancer.availabilityZones())
                .extracting(zone -> zone.subnetId())
                .containsExactlyInAnyOrderElementsOf(network.privateSubnets());
        assertThat(connector.get("ApiUrl")).isEqualTo("http://" + loadBalancer.dnsName());
        assertThat(connector.get("ApiLoadBalancerDnsName")).isEqualTo(loadBalancer.dnsName());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "/v1/vaults*, catalog",
        "/v1/recovery-points*, catalog",
        "/v1/diagnostics/catalog/*, catalog",
        "/v1/scalez-servers*, provisioner",
        "/v1/diagnostics/provisioner/*, provisioner",
        "/v1/jobs*, jobstatus",
        "/, jobstatus",
        "/v1/diagnostics/jobstatus/*, jobstatus",
        "/v1/backups*, background-jobs",
        "/v1/restores*, background-jobs",
        "/v1/restore-tests*, background-jobs",
        "/v1/policies*, background-jobs",
        "/v1/diagnostics/background-jobs/*, background-jobs",
        "/v1/integrity*, integrity",
        "/v1/scans*, integrity",
        "/v1/diagnostics/integrity/*, integrity",
        "/v1/assets*, inventory",
        "/v1/diagnostics/inventory/*, inventory"
    })
    void eachPathIsRoutedToItsService(String path, String service) {
        var routes = rules().stream()
                .filter(rule -> rule.conditions().stream()
                        .anyMatch(condition -> condition.pathPatternConfig() != null
                                && condition.pathPatternConfig().values().contains(path)))
                .toList();

        assertThat(routes)
                .singleElement()
                .satisfies(rule -> assertThat(servedPort(rule))
                        .isEqualTo(ConnectorService.named(service).port()));
    }

    @Test
    void everythingElseGoesToJobstatusAndNothingIsRoutedTwice() {
        var rules = rules();
        var paths = rules.stream()
                .flatMap(rule -> rule.conditions().stream())
                .flatMap(condition -> condition.pathPatternConfig().values().stream())
                .toList();

        assertThat(rules)
                .filteredOn(Rule::isDefault)
                .singleElement()
                .satisfies(rule -> assertThat(servedPort(rule))
                        .isEqualTo(ConnectorService.named("jobstatus").port()));
        // One rule per service, the default, and background-jobs' second (a rule takes at most five paths).
        assertThat(rules).hasSize(ConnectorService.ALL.size() + 2);
        assertThat(paths).doesNotHaveDuplicates().hasSize(18);
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.ConnectorService#ALL")
    void eachTargetGroupChecksReadinessOnTheServicePort(ConnectorService service) {
        var group = targetGroupsByPort().get(service.port());

        assertThat(group).as("target group on %d", service.port()).isNotNull();
        assertThat(group.healthCheckPath()).isEqualTo("/actuator/health/readiness");
        assertThat(group.targetTypeAsString()).isEqualTo("ip");
        assertThat(group.vpcId()).isEqualTo(network.vpcId());
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.ConnectorService#ALL")
    void eachServiceRunsItsImageConfiguredForThisConnector(ConnectorService service) {
        var ecs = client(emulator, EcsClient.builder());
        var ecsService = ecs.describeServices(request ->
                        request.cluster(connector.get("ClusterName")).services(CONNECTOR_ID + "-" + service.name()))
                .services()
                .getFirst();
        var container = ecs.describeTaskDefinition(request -> request.taskDefinition(ecsService.taskDefinition()))
                .taskDefinition()
                .containerDefinitions()
                .getFirst();
        // An empty value (e.g. no signatures mirror) comes back from the emulator as null.
        var environment = new java.util.HashMap<String, String>();
        container.environment().forEach(pair -> environment.put(pair.name(), pair.value()));

        assertThat(connector.get(service.output("ServiceName"))).isEqualTo(ecsService.serviceName());
        assertThat(ecsService.desiredCount()).isEqualTo(1);
        assertThat(container.name()).isEqualTo(service.name());
        // Integrity runs from the scanner image (freshclam for its signatures-update job), as the service.
        assertThat(container.image())
                .isEqualTo(image(service.name().equals("integrity") ? "integrity-scanner" : service.name()));
        if (service.name().equals("integrity")) {
            assertThat(environment).containsEntry("SPRING_PROFILES_ACTIVE", "default");
        }
        assertThat(container.portMappings())
                .singleElement()
                .satisfies(mapping -> assertThat(mapping.containerPort()).isEqualTo(service.port()));
        assertThat(environment)
                .containsEntry("CONNECTOR_ID", CONNECTOR_ID)
                .containsEntry("AWS_REGION", AwsEmulator.REGION)
                .containsEntry("CONNECTOR_AWS_REGION", AwsEmulator.REGION)
                .containsEntry("SERVER_PORT", Integer.toString(service.port()))
                .containsEntry("CONNECTOR_SECURITY_JWK_SET_URI", JWKS)
                .containsEntry("CONNECTOR_EVENT_BUS", connector.get("EventBusName"))
                .containsEntry("CONNECTOR_TABLE", connector.get(service.output("TableName")))
                .containsEntry("CONNECTOR_INBOX_QUEUE", connector.get(service.output("InboxQueueUrl")))
                .doesNotContainKey("CONNECTOR_SECURITY_PUBLIC_KEY");
        assertThat(container.logConfiguration().options())
                .containsEntry("awslogs-group", "/cloudconnector/" + CONNECTOR_ID + "/" + service.name());
    }

    @Test
    void theCatalogIsToldHowToCreateVaultStacks() {
        var ecs = client(emulator, EcsClient.builder());
        var environment = ecs
                .describeTaskDefinition(request -> request.taskDefinition(CONNECTOR_ID + "-catalog"))
                .taskDefinition()
                .containerDefinitions()
                .getFirst()
                .environment()
                .stream()
                .collect(Collectors.toMap(KeyValuePair::name, KeyValuePair::value));

        assertThat(environment)
                .containsEntry("CONNECTOR_VAULTS_STACK_ROLE_ARN", account.get("InstallerRoleArn"))
                .containsEntry("CONNECTOR_VAULTS_PERMISSIONS_BOUNDARY_ARN", account.get("PermissionsBoundaryArn"))
                .containsEntry("CONNECTOR_VAULTS_WORKER_IMAGE", image("background-jobs"))
                .containsEntry("CONNECTOR_VAULTS_SCANNER_IMAGE", image("integrity-scanner"));
    }

    @Test
    void serviceLogsAreKeptForTheRetentionPeriod() {
        var groups = client(emulator, CloudWatchLogsClient.builder())
                .describeLogGroups(request -> request.logGroupNamePrefix("/cloudconnector/" + CONNECTOR_ID + "/"))
                .logGroups();

        assertThat(groups)
                .extracting(LogGroup::logGroupName)
                .containsAll(ConnectorService.ALL.stream()
                        .map(service -> "/cloudconnector/" + CONNECTOR_ID + "/" + service.name())
                        .toList());
        assertThat(groups)
                .allSatisfy(group -> assertThat(group.retentionInDays())
                        .as(group.logGroupName())
                        .isEqualTo(30));
    }

    @Test
    void servicesAcceptTrafficOnlyFromTheLoadBalancerWhichAcceptsOnlyTheTenantNetwork() {
        var groups = client(emulator, Ec2Client.builder())
                .describeSecurityGroups(request ->
                        request.filters(filter -> filter.name("vpc-id").values(network.vpcId())))
                .securityGroups();
        var serviceGroup = byId(groups).get(connector.get("ServiceSecurityGroupId"));
        var loadBalancerGroup = client(emulator, ElasticLoadBalancingV2Client.builder())
                .describeLoadBalancers()
                .loadBalancers()
                .getFirst()
                .securityGroups()
                .getFirst();

        assertThat(serviceGroup.ipPermissions()).singleElement().satisfies(permission -> {
            assertThat(permission.fromPort()).isEqualTo(8081);
            assertThat(permission.toPort()).isEqualTo(8086);
            assertThat(permission.ipRanges()).isEmpty();
            assertThat(permission.userIdGroupPairs())
                    .singleElement()
                    .satisfies(pair -> assertThat(pair.groupId()).isEqualTo(loadBalancerGroup));
        });
        assertThat(byId(groups).get(loadBalancerGroup).ipPermissions())
                .singleElement()
                .satisfies(permission -> {
                    assertThat(permission.fromPort()).isEqualTo(80);
                    assertThat(permission.ipRanges())
                            .singleElement()
                            .satisfies(range -> assertThat(range.cidrIp()).isEqualTo("10.0.0.0/8"));
                });
    }

    // --- vault.yaml -----------------------------------------------------------------------------------

    @Test
    void theVaultKeyRotatesAndIsNamedByItsAlias() {
        var kms = client(emulator, KmsClient.builder());
        var alias = kms.listAliases().aliases().stream()
                .filter(candidate -> candidate.aliasName().equals(vault.get("KeyAlias")))
                .findFirst()
                .orElseThrow();

        assertThat(vault.get("KeyAlias")).isEqualTo("alias/cloudconnector/" + CONNECTOR_ID + "/" + VAULT_ID);
        assertThat(vault.get("KeyArn")).endsWith(":key/" + alias.targetKeyId());
        assertThat(kms.getKeyRotationStatus(request -> request.keyId(alias.targetKeyId()))
                        .keyRotationEnabled())
                .isTrue();
        // ScaleZ's use of the key: a data key under the vault's encryption context (policies are not enforced here).
        assertThat(kms.generateDataKey(request -> request.keyId(vault.get("KeyAlias"))
                                .keySpec(DataKeySpec.AES_256)
                                .encryptionContext(Map.of("vault", VAULT_ID, "repository", "default")))
                        .ciphertextBlob()
                        .asByteArray())
                .isNotEmpty();
    }

    @Test
    void theVaultBucketIsEncryptedWithTheVaultKey() {
        var rule = EmulatorClients.s3(emulator)
                .getBucketEncryption(request -> request.bucket(vault.get("BucketName")))
                .serverSideEncryptionConfiguration()
                .rules()
                .getFirst()
                .applyServerSideEncryptionByDefault();

        assertThat(vault.get("BucketName")).isEqualTo(CONNECTOR_ID + "-" + VAULT_ID);
        assertThat(rule.sseAlgorithm()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(rule.kmsMasterKeyID()).isEqualTo(vault.get("KeyArn"));
    }

    @Test
    void theVaultTableHoldsLocksByPartitionAndSortKey() {
        var table = client(emulator, DynamoDbClient.builder())
                .describeTable(request -> request.tableName(vault.get("TableName")))
                .table();

        assertThat(table.tableArn()).isEqualTo(vault.get("TableArn"));
        assertThat(table.keySchema())
                .extracting(KeySchemaElement::attributeName)
                .containsExactly("pk", "sk");
    }

    @Test
    void vaultJobsRunOnCapacityOptimizedSpotInTheChosenSubnets() {
        var batch = client(emulator, BatchClient.builder());
        var environment = batch.describeComputeEnvironments(
                        request -> request.computeEnvironments(vault.get("ComputeEnvironmentArn")))
                .computeEnvironments()
                .getFirst();
        var queue = batch.describeJobQueues(request -> request.jobQueues(vault.get("JobQueueArn")))
                .jobQueues()
                .getFirst();

        assertThat(environment.typeAsString()).isEqualTo("MANAGED");
        assertThat(environment.computeResources().type()).isEqualTo(CRType.SPOT);
        assertThat(environment.computeResources().allocationStrategy())
                .isEqualTo(CRAllocationStrategy.SPOT_CAPACITY_OPTIMIZED);
        assertThat(environment.computeResources().minvCpus()).isZero();
        assertThat(environment.computeResources().maxvCpus()).isEqualTo(64);
        assertThat(environment.computeResources().subnets())
                .containsExactlyInAnyOrderElementsOf(network.privateSubnets());
        assertThat(environment.computeResources().securityGroupIds()).containsExactly(vault.get("SecurityGroupId"));
        assertThat(queue.computeEnvironmentOrder())
                .singleElement()
                .satisfies(
                        order -> assertThat(order.computeEnvironment()).isEqualTo(vault.get("ComputeEnvironmentArn")));
    }

    @ParameterizedTest
    @CsvSource({
        "WorkerJobDefinitionArn, WorkerJobRoleArn, background-jobs",
        "ScannerJobDefinitionArn, ScannerJobRoleArn, integrity-scanner"
    })
    void vaultJobDefinitionsRetryReclaimedSpotHostsAsTheirOwnRole(
            String definitionOutput, String roleOutput, String imageService) {
        var definition = jobDefinition(vault.get(definitionOutput));
        var environment = definition.containerProperties().environment().stream()
                .collect(Collectors.toMap(pair -> pair.name(), pair -> pair.value()));

        assertThat(definition.retryStrategy().attempts()).isEqualTo(3);
        assertThat(definition.retryStrategy().evaluateOnExit())
                .hasSize(2)
                .first()
                .satisfies(retry -> assertThat(retry.onStatusReason()).isEqualTo("Host EC2*"));
        assertThat(definition.containerProperties().jobRoleArn()).isEqualTo(vault.get(roleOutput));
        assertThat(definition.containerProperties().image()).isEqualTo(image(imageService));
        assertThat(environment)
                .containsEntry("CONNECTOR_ID", CONNECTOR_ID)
                .containsEntry("CONNECTOR_VAULT_ID", VAULT_ID)
                .containsEntry("CONNECTOR_VAULT_BUCKET", vault.get("BucketName"))
                .containsEntry("CONNECTOR_VAULT_KEY_ARN", vault.get("KeyArn"))
                .containsEntry("CONNECTOR_VAULT_TABLE", vault.get("TableName"))
                .containsEntry("CONNECTOR_EVENT_BUS", connector.get("EventBusName"));
    }

    @Test
    void scalezServersHaveTheirClusterAndTaskDefinition() {
        var ecs = client(emulator, EcsClient.builder());
        var cluster = ecs.describeClusters(request -> request.clusters(vault.get("ScalezClusterName")))
                .clusters()
                .getFirst();
        var container = ecs.describeTaskDefinition(
                        request -> request.taskDefinition(vault.get("ScalezServerTaskDefinitionArn")))
                .taskDefinition()
                .containerDefinitions()
                .getFirst();

        assertThat(cluster.clusterArn()).isEqualTo(vault.get("ScalezClusterArn"));
        assertThat(container.image()).isEqualTo(image("background-jobs"));
        assertThat(container.environment())
                .contains(KeyValuePair.builder()
                        .name("CONNECTOR_VAULT_BUCKET")
                        .value(vault.get("BucketName"))
                        .build());
        assertThat(vault.get("AssignPublicIp")).isEqualTo("DISABLED");
    }

    @Test
    void onlyTheVaultsOwnWorkersCanConnectToVaultCompute() {
        var group = client(emulator, Ec2Client.builder())
                .describeSecurityGroups(request -> request.groupIds(vault.get("SecurityGroupId")))
                .securityGroups()
                .getFirst();

        assertThat(group.vpcId()).isEqualTo(network.vpcId());
        // One way in: the ScaleZ server's port, from members of the same group (the vault's workers), no address range.
        assertThat(group.ipPermissions()).singleElement().satisfies(permission -> {
            assertThat(permission.ipProtocol()).isEqualTo("tcp");
            assertThat(permission.fromPort()).isEqualTo(7070);
            assertThat(permission.toPort()).isEqualTo(7070);
            assertThat(permission.ipRanges()).isEmpty();
            assertThat(permission.ipv6Ranges()).isEmpty();
            assertThat(permission.userIdGroupPairs())
                    .singleElement()
                    .satisfies(pair -> assertThat(pair.groupId()).isEqualTo(group.groupId()));
        });
    }

    private List<Rule> rules() {
        var elb = client(emulator, ElasticLoadBalancingV2Client.builder());
        var loadBalancer = elb.describeLoadBalancers().loadBalancers().getFirst();
        var listener = elb.describeListeners(request -> request.loadBalancerArn(loadBalancer.loadBalancerArn()))
                .listeners()
                .getFirst();
        assertThat(listener.protocolAsString()).isEqualTo("HTTP");
        return elb.describeRules(request -> request.listenerArn(listener.listenerArn()))
                .rules();
    }

    private int servedPort(Rule rule) {
        var targetGroupArn = rule.actions().getFirst().targetGroupArn();
        return targetGroupsByPort().values().stream()
                .filter(group -> group.targetGroupArn().equals(targetGroupArn))
                .findFirst()
                .orElseThrow()
                .port();
    }

    private Map<Integer, TargetGroup> targetGroupsByPort() {
        return client(emulator, ElasticLoadBalancingV2Client.builder()).describeTargetGroups().targetGroups().stream()
                .collect(Collectors.toMap(TargetGroup::port, Function.identity()));
    }

    private JobDefinition jobDefinition(String arn) {
        return client(emulator, BatchClient.builder())
                .describeJobDefinitions(request -> request.jobDefinitions(arn))
                .jobDefinitions()
                .getFirst();
    }

    private static Map<String, SecurityGroup> byId(List<SecurityGroup> groups) {
        return groups.stream().collect(Collectors.toMap(SecurityGroup::groupId, Function.identity()));
    }
}
