package io.cloudconnector.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * IAM as written in the templates. The emulator accepts any credentials and enforces no policy, so
 * least privilege is asserted on the policy documents themselves.
 */
class IamLeastPrivilegeTests {

    private static final Template ACCOUNT = Template.load(Template.ACCOUNT);
    private static final Template CONNECTOR = Template.load(Template.CONNECTOR);
    private static final Template VAULT = Template.load(Template.VAULT);

    /**
     * Actions IAM authorizes on "*" only (no resource-level permissions, per the Service Authorization
     * Reference), or only with a condition key: the only ones an Allow on every resource may carry.
     */
    private static final List<String> NO_RESOURCE_LEVEL_PERMISSIONS = List.of(
            "ecr:GetAuthorizationToken",
            "ec2:Describe*",
            "batch:Describe*",
            "batch:ListJobs",
            "cloudformation:ValidateTemplate",
            "kms:CreateKey",
            "kms:ListAliases",
            "elasticloadbalancing:Describe*",
            "ecs:RegisterTaskDefinition",
            "ecs:DeregisterTaskDefinition",
            "ecs:DescribeTaskDefinition",
            "ecs:ListTasks");

    private static final List<String> DESTROYING_BACKUP_DATA = List.of(
            "s3:DeleteBucket",
            "s3:DeleteObject",
            "s3:DeleteObjectVersion",
            "kms:ScheduleKeyDeletion",
            "kms:DisableKey");

    private static List<PolicyStatement> installer() {
        return PolicyStatement.ofRole(ACCOUNT, "InstallerRole");
    }

    private static List<PolicyStatement> boundary() {
        return PolicyStatement.of(
                "PermissionsBoundary", ACCOUNT.properties("PermissionsBoundary").get("PolicyDocument"));
    }

    private static Stream<PolicyStatement> everyRoleStatement() {
        return Stream.of(ACCOUNT, CONNECTOR, VAULT)
                .flatMap(template -> template.resourcesOfType("AWS::IAM::Role").keySet().stream()
                        .flatMap(role -> PolicyStatement.ofRole(template, role).stream()));
    }

    /** Every role's statements but the break-glass role's, which people assume and no service can. */
    private static Stream<PolicyStatement> everyConnectorRoleStatement() {
        return Stream.of(ACCOUNT, CONNECTOR, VAULT)
                .flatMap(template -> template.resourcesOfType("AWS::IAM::Role").keySet().stream()
                        .filter(role -> !role.equals("BreakGlassRole"))
                        .flatMap(role -> PolicyStatement.ofRole(template, role).stream()));
    }

    @ParameterizedTest
    @FieldSource("DESTROYING_BACKUP_DATA")
    void theInstallerRoleCannotDestroyBackupData(String action) {
        assertThat(installer())
                .as("an unconditional explicit Deny of %s on every resource", action)
                .anyMatch(statement -> statement.denies()
                        && statement.covers(action)
                        && statement.onEveryResource()
                        && statement.condition().isEmpty());
        assertThat(installer()).noneMatch(statement -> statement.allows() && statement.covers(action));
    }

    @Test
    void theInstallerRoleCreatesRolesOnlyUnderThePermissionsBoundary() {
        var roleWriters = installer().stream()
                .filter(statement -> statement.allows())
                .filter(statement -> Stream.of(
                                "iam:CreateRole",
                                "iam:PutRolePolicy",
                                "iam:AttachRolePolicy",
                                "iam:PutRolePermissionsBoundary")
                        .anyMatch(statement::covers))
                .toList();

        assertThat(roleWriters)
                .isNotEmpty()
                .allSatisfy(statement -> assertThat(statement.condition())
                        .isEqualTo(Map.of(
                                "StringEquals",
                                Map.of("iam:PermissionsBoundary", Map.of("Ref", "PermissionsBoundary")))));
        assertThat(installer())
                .anyMatch(statement -> statement.denies() && statement.covers("iam:DeleteRolePermissionsBoundary"));
        assertThat(installer())
                .as("the installer cannot widen the boundary it is held to")
                .anyMatch(statement -> statement.denies()
                        && statement.covers("iam:CreatePolicyVersion")
                        && statement.resources().equals(List.of("${PermissionsBoundary}")));
    }

    @Test
    void theInstallerRoleIsOnlyForCloudFormation() {
        var trust = Template.asMap(ACCOUNT.properties("InstallerRole").get("AssumeRolePolicyDocument"));

        assertThat(Template.list(trust.get("Statement")))
                .singleElement()
                .isEqualTo(Map.of(
                        "Effect", "Allow",
                        "Principal", Map.of("Service", "cloudformation.amazonaws.com"),
                        "Action", "sts:AssumeRole"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "s3:DeleteBucket",
                "s3:DeleteObjectVersion",
                "s3:BypassGovernanceRetention",
                "s3:PutBucketPolicy",
                "s3:PutBucketVersioning",
                "s3:PutLifecycleConfiguration",
                "kms:ScheduleKeyDeletion",
                "kms:DisableKey",
                "kms:PutKeyPolicy"
            })
    void theBoundaryDeniesEveryConnectorRoleWhatWouldDestroyBackupData(String action) {
        assertThat(boundary())
                .anyMatch(statement -> statement.denies() && statement.covers(action) && statement.onEveryResource());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "iam:CreateRole",
                "iam:PutRolePolicy",
                "iam:AttachRolePolicy",
                "iam:CreateUser",
                "iam:CreateAccessKey",
                "iam:DeleteRolePermissionsBoundary",
                "sts:AssumeRole",
                "organizations:LeaveOrganization"
            })
    void theBoundaryGrantsNoIdentityAdministration(String action) {
        assertThat(boundary()).noneMatch(statement -> statement.allows() && statement.covers(action));
    }

    @ParameterizedTest
    @ValueSource(strings = {Template.CONNECTOR, Template.VAULT})
    void everyRoleLivesUnderTheConnectorPathAndCarriesTheBoundary(String name) {
        var template = Template.load(name);

        assertThat(template.resourcesOfType("AWS::IAM::Role")).isNotEmpty().allSatisfy((id, role) -> {
            var properties = Template.map(role, "Properties");
            assertThat(properties.get("Path")).as(id).isEqualTo(Map.of("Fn::Sub", "/cloudconnector/${ConnectorId}/"));
            assertThat(properties.get("PermissionsBoundary"))
                    .as(id)
                    .isEqualTo(Map.of(
                            "Fn::If",
                            List.of(
                                    "HasBoundary",
                                    Map.of("Ref", "PermissionsBoundaryArn"),
                                    Map.of("Ref", "AWS::NoValue"))));
        });
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.ConnectorService#ALL")
    void aTaskRoleTouchesOnlyItsOwnServiceTableAndInbox(ConnectorService service) {
        var ownResources = List.of(service.logicalPrefix() + "Table", service.logicalPrefix() + "Inbox", "Bus");
        var connectorMessagingAndTables = CONNECTOR.resources().keySet().stream()
                .filter(id -> id.endsWith("Table") || id.endsWith("Inbox") || id.endsWith("InboxDlq"))
                .toList();

        var referenced = PolicyStatement.ofRole(CONNECTOR, service.taskRole()).stream()
                .flatMap(statement -> statement.referencedResources().stream())
                .filter(id -> connectorMessagingAndTables.contains(id) || id.equals("Bus"))
                .distinct()
                .toList();

        assertThat(referenced).containsExactlyInAnyOrderElementsOf(ownResources);
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.ConnectorService#ALL")
    void aServicePublishesEventsOnlyUnderItsOwnSource(ConnectorService service) {
        var publishers = PolicyStatement.ofRole(CONNECTOR, service.taskRole()).stream()
                .filter(statement -> statement.covers("events:PutEvents"))
                .toList();

        assertThat(publishers).singleElement().satisfies(statement -> {
            assertThat(statement.resources()).containsExactly("${Bus.Arn}");
            // The types under it: EventOwnershipTests.
            assertThat(Template.asMap(statement.condition().get("StringEquals")))
                    .containsEntry("events:source", "cloudconnector." + service.name());
        });
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.ConnectorService#ALL")
    void aServiceReachesVaultsOfItsOwnConnectorOnly(ConnectorService service) {
        var vaultStatements = PolicyStatement.ofRole(CONNECTOR, service.taskRole()).stream()
                .filter(statement -> Stream.of(
                                "s3:",
                                "cloudformation:CreateStack",
                                "cloudformation:DescribeStacks",
                                "batch:SubmitJob",
                                "ecs:RunTask",
                                "ecs:StopTask")
                        .anyMatch(prefix -> statement.actions().stream().anyMatch(action -> action.startsWith(prefix))))
                .toList();

        assertThat(vaultStatements)
                .filteredOn(statement -> !signatures(statement))
                .allSatisfy(statement -> assertThat(statement.resources())
                        .as(statement.toString())
                        .allMatch(resource -> resource.contains("${ConnectorId}-vlt-")));
        if (!service.taskRole().equals("IntegrityTaskRole")) {
            assertThat(vaultStatements).noneMatch(IamLeastPrivilegeTests::signatures);
        }
        var keyStatements = PolicyStatement.ofRole(CONNECTOR, service.taskRole()).stream()
                .filter(statement -> statement.actions().stream().anyMatch(action -> action.startsWith("kms:")))
                .toList();
        assertThat(keyStatements)
                .allSatisfy(statement -> assertThat(statement.condition())
                        .as(statement.toString())
                        .isEqualTo(Map.of(
                                "ForAnyValue:StringLike",
                                Map.of(
                                        "kms:ResourceAliases",
                                        Map.of("Fn::Sub", "alias/cloudconnector/${ConnectorId}/*")))));
    }

    @Test
    void onlyTheCatalogCreatesVaultStacksAndOnlyThroughTheInstallerRole() {
        for (var service : ConnectorService.ALL) {
            var statements = PolicyStatement.ofRole(CONNECTOR, service.taskRole());
            assertThat(statements.stream().anyMatch(statement -> statement.covers("cloudformation:CreateStack")))
                    .as(service.name())
                    .isEqualTo(service.name().equals("catalog"));
        }
        assertThat(PolicyStatement.ofRole(CONNECTOR, "CatalogTaskRole"))
                .filteredOn(statement -> statement.covers("iam:PassRole"))
                .singleElement()
                .satisfies(statement -> {
                    assertThat(statement.resources()).containsExactly("${InstallerRoleArn}");
                    assertThat(statement.condition())
                            .isEqualTo(Map.of(
                                    "StringEquals", Map.of("iam:PassedToService", "cloudformation.amazonaws.com")));
                });
    }

    private static final String PURGE_TAG = "aws:PrincipalTag/cloudconnector:vault-purge";

    @Test
    void noConnectorRoleMayDeleteAnObjectVersionOnlyTheBreakGlassRole() {
        // The boundary denies it every role under it, unconditionally...
        assertThat(boundary())
                .anyMatch(statement -> statement.denies()
                        && statement.covers("s3:DeleteObjectVersion")
                        && statement.onEveryResource()
                        && statement.condition().isEmpty());
        // ...no role but the break-glass role is allowed it...
        assertThat(everyConnectorRoleStatement()
                        .filter(statement -> statement.allows() && statement.covers("s3:DeleteObjectVersion")))
                .isEmpty();
        assertThat(PolicyStatement.ofRole(ACCOUNT, "BreakGlassRole"))
                .anyMatch(statement -> statement.allows() && statement.covers("s3:DeleteObjectVersion"));
        // ...which people assume, with MFA, and no service: it is outside /cloudconnector/, which services pass.
        var breakGlass = ACCOUNT.properties("BreakGlassRole");
        assertThat(breakGlass.get("Path")).isEqualTo("/cloudconnector-break-glass/");
        assertThat(breakGlass).doesNotContainKey("PermissionsBoundary");
        var trust = Template.list(
                Template.asMap(breakGlass.get("AssumeRolePolicyDocument")).get("Statement"));
        assertThat(trust).singleElement().satisfies(statement -> {
            var map = Template.asMap(statement);
            assertThat(Template.asMap(map.get("Principal"))).containsOnlyKeys("AWS");
            assertThat(map.get("Condition")).isEqualTo(Map.of("Bool", Map.of("aws:MultiFactorAuthPresent", "true")));
        });
    }

    @Test
    void onlyTheCatalogsPurgeMayDeleteBuckets() {
        // The boundary denies it every role not tagged for the purge...
        assertThat(boundary())
                .anyMatch(statement -> statement.denies()
                        && statement.covers("s3:DeleteBucket")
                        && statement.onEveryResource()
                        && statement.condition().equals(Map.of("StringNotEquals", Map.of(PURGE_TAG, "true"))));
        // ...only the catalog's task role carries the tag...
        var tagged = Stream.of(ACCOUNT, CONNECTOR, VAULT)
                .flatMap(template -> template.resourcesOfType("AWS::IAM::Role").keySet().stream()
                        .filter(role -> Template.list(template.properties(role).get("Tags")).stream()
                                .map(Template::asMap)
                                .anyMatch(tag -> "cloudconnector:vault-purge".equals(tag.get("Key")))))
                .toList();
        assertThat(tagged).containsExactly("CatalogTaskRole");
        // ...and is allowed it on this connector's vault buckets only (S3 deletes only an empty one, and the catalog
        // cannot empty one of its versions); no other connector role is allowed it at all.
        assertThat(PolicyStatement.ofRole(CONNECTOR, "CatalogTaskRole"))
                .filteredOn(statement -> statement.allows() && statement.covers("s3:DeleteBucket"))
                .singleElement()
                .satisfies(statement -> assertThat(statement.resources())
                        .allMatch(resource -> resource.contains("${ConnectorId}-vlt-*")));
        assertThat(everyConnectorRoleStatement()
                        .filter(statement -> statement.allows() && statement.covers("s3:DeleteBucket"))
                        .filter(statement -> !statement.toString().contains("CatalogTaskRole")))
                .isEmpty();
    }

    /**
     * Shortening or lifting a governance lock, and putting or removing a legal hold, are the catalog's alone (the
     * {@code vaults:unlock} endpoints): the boundary denies them every role without the purge tag, and only the
     * catalog's task role is allowed them, on this connector's vault objects.
     */
    @ParameterizedTest
    @ValueSource(strings = {"s3:BypassGovernanceRetention", "s3:PutObjectLegalHold"})
    void onlyTheCatalogMayBypassGovernanceRetentionOrChangeLegalHolds(String action) {
        assertThat(boundary())
                .anyMatch(statement -> statement.denies()
                        && statement.covers(action)
                        && statement.onEveryResource()
                        && statement.condition().equals(Map.of("StringNotEquals", Map.of(PURGE_TAG, "true"))));
        assertThat(PolicyStatement.ofRole(CONNECTOR, "CatalogTaskRole"))
                .filteredOn(statement -> statement.allows() && statement.covers(action))
                .singleElement()
                .satisfies(statement -> assertThat(statement.resources())
                        .allMatch(resource -> resource.contains("${ConnectorId}-vlt-*/*")));
        assertThat(everyConnectorRoleStatement()
                        .filter(statement -> statement.allows() && statement.covers(action))
                        .filter(statement -> !statement.toString().contains("CatalogTaskRole")))
                .isEmpty();
    }

    @Test
    void everyAllowOnEveryResourceIsForActionsWithoutResourceLevelPermissions() {
        var onEverything = everyRoleStatement()
                .filter(statement -> statement.allows() && statement.onEveryResource())
                .toList();

        assertThat(onEverything)
                .isNotEmpty()
                .allSatisfy(statement -> assertThat(statement.actions())
                        .as(statement.toString())
                        .allMatch(action -> NO_RESOURCE_LEVEL_PERMISSIONS.stream()
                                .anyMatch(allowed -> PolicyStatement.matches(allowed, action))));
    }

    @Test
    void noRoleIsGrantedAWholeService() {
        assertThat(everyRoleStatement().filter(PolicyStatement::allows))
                .allSatisfy(statement -> assertThat(statement.actions())
                        .as(statement.toString())
                        .noneMatch(action -> action.equals("*") || action.endsWith(":*")));
    }

    private static final String FILES_RESTORE = "FilesRestoreToOwnAccountBuckets";

    @ParameterizedTest
    @ValueSource(strings = {"WorkerJobRole", "ScannerJobRole", "ScalezServerTaskRole", "ScalezServerInstanceRole"})
    void vaultRolesReachOnlyTheirOwnVaultsData(String role) {
        var statements = PolicyStatement.ofRole(VAULT, role);

        // Besides its vault's data, a scanner reads the newest copy of ClamAV's databases in the connector's bucket,
        // and nothing else there.
        assertThat(statements.stream().filter(IamLeastPrivilegeTests::signatures))
                .allSatisfy(statement -> assertThat(statement.actions())
                        .as(statement.toString())
                        .isSubsetOf("s3:ListBucket", "s3:GetObject"));
        // A backup or restore worker also claims, heartbeats and finishes its job's record in the background-jobs
        // table (IamEvaluationTests found the worker denied it), and only there.
        assertThat(statements.stream().filter(statement -> statement.sid().equals("JobRecords")))
                .allSatisfy(statement -> assertThat(statement.resources())
                        .as(statement.toString())
                        .allMatch(resource -> resource.contains(":table/${ConnectorId}-background-jobs")));
        // A files restore writes the files asked for into a bucket the customer names: only object writes, and only
        // into buckets of the connector's own account, so nothing can be sent to another account's bucket.
        assertThat(statements.stream().filter(statement -> statement.sid().equals(FILES_RESTORE)))
                .allSatisfy(statement -> {
                    assertThat(statement.actions())
                            .as(statement.toString())
                            .containsExactlyInAnyOrder("s3:PutObject", "s3:AbortMultipartUpload");
                    assertThat(Template.map(statement.condition(), "StringEquals"))
                            .as(statement.toString())
                            .containsEntry("s3:ResourceAccount", Map.of("Ref", "AWS::AccountId"));
                    assertThat(role).isEqualTo("WorkerJobRole");
                });
        assertThat(statements.stream()
                        .filter(statement -> !signatures(statement))
                        .filter(statement -> !statement.sid().equals("JobRecords"))
                        .filter(statement -> !statement.sid().equals(FILES_RESTORE))
                        .filter(statement -> statement.actions().stream()
                                .anyMatch(action -> action.startsWith("s3:") || action.startsWith("dynamodb:"))))
                .allSatisfy(statement -> assertThat(statement.referencedResources())
                        .as(statement.toString())
                        .isNotEmpty()
                        .allMatch(id -> id.equals("VaultBucket") || id.equals("VaultTable")));
        assertThat(statements.stream().filter(statement -> statement.covers("kms:Decrypt")))
                .allSatisfy(statement -> assertThat(
                                statement.referencedResources().equals(List.of("VaultKey"))
                                        || Template.map(statement.condition(), "StringEquals")
                                                .containsKey("kms:ViaService"))
                        .as(statement.toString())
                        .isTrue());
    }

    @Test
    void theProvisionerLaunchesAndTerminatesOnlyThisConnectorsTaggedInstances() {
        var statements = PolicyStatement.ofRole(CONNECTOR, "ProvisionerTaskRole");
        var tagged = Map.of("aws:RequestTag/cloudconnector:connector", Map.of("Ref", "ConnectorId"));

        assertThat(statements)
                .filteredOn(statement -> statement.covers("ec2:RunInstances"))
                .filteredOn(statement -> statement.resources().stream().anyMatch(r -> r.endsWith(":instance/*")))
                .singleElement()
                .satisfies(statement -> {
                    assertThat(Template.map(statement.condition(), "StringEquals"))
                            .isEqualTo(tagged);
                    assertThat(Template.map(statement.condition(), "ArnLike")).containsKey("ec2:LaunchTemplate");
                });
        assertThat(statements)
                .filteredOn(statement -> statement.covers("ec2:TerminateInstances"))
                .singleElement()
                .extracting(PolicyStatement::condition)
                .isEqualTo(Map.of(
                        "StringEquals",
                        Map.of("aws:ResourceTag/cloudconnector:connector", Map.of("Ref", "ConnectorId"))));
        assertThat(statements)
                .filteredOn(statement -> statement.covers("ec2:CreateTags"))
                .singleElement()
                .extracting(PolicyStatement::condition)
                .isEqualTo(Map.of("StringEquals", Map.of("ec2:CreateAction", "RunInstances")));
    }

    @Test
    void theScannerOnlyReadsTheVault() {
        assertThat(PolicyStatement.ofRole(VAULT, "ScannerJobRole"))
                .noneMatch(statement -> Stream.of(
                                "s3:PutObject", "s3:DeleteObject", "kms:GenerateDataKey", "ebs:PutSnapshotBlock")
                        .anyMatch(statement::covers));
    }

    @Test
    void aBackupJobDeletesOnlyTheSnapshotsItTagged() {
        assertThat(PolicyStatement.ofRole(VAULT, "WorkerJobRole"))
                .filteredOn(statement -> statement.covers("ec2:DeleteSnapshot"))
                .singleElement()
                .extracting(PolicyStatement::condition)
                .isEqualTo(Map.of(
                        "StringEquals",
                        Map.of("aws:ResourceTag/cloudconnector:connector", Map.of("Ref", "ConnectorId"))));
    }

    @Test
    void theVaultKeyPolicyLetsNobodyDisableOrDeleteTheKey() {
        var keyPolicy =
                PolicyStatement.of("VaultKey", VAULT.properties("VaultKey").get("KeyPolicy"));

        assertThat(keyPolicy)
                .noneMatch(statement -> statement.allows()
                        && Stream.of(
                                        "kms:ScheduleKeyDeletion",
                                        "kms:DisableKey",
                                        "kms:CreateGrant",
                                        "kms:DeleteImportedKeyMaterial")
                                .anyMatch(statement::covers));
    }

    @Test
    void theVaultKeyEncryptsOnlyForThisConnectorsRolesAndThisVault() {
        var crypto = PolicyStatement.of("VaultKey", VAULT.properties("VaultKey").get("KeyPolicy")).stream()
                .filter(statement -> Stream.of("kms:GenerateDataKey", "kms:Decrypt", "kms:Encrypt")
                        .anyMatch(statement::covers))
                .toList();

        assertThat(crypto).hasSize(2).allSatisfy(statement -> {
            assertThat(Template.map(statement.condition(), "ArnLike"))
                    .isEqualTo(
                            Map.of(
                                    "aws:PrincipalArn",
                                    Map.of(
                                            "Fn::Sub",
                                            "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cloudconnector/${ConnectorId}/*")));
            var equals = Template.map(statement.condition(), "StringEquals");
            assertThat(equals.equals(Map.of("kms:EncryptionContext:vault", Map.of("Ref", "VaultId")))
                            || equals.get("kms:EncryptionContext:aws:s3:arn")
                                    .equals(Map.of("Fn::Sub", "arn:${AWS::Partition}:s3:::${ConnectorId}-${VaultId}")))
                    .as(statement.toString())
                    .isTrue();
        });
    }

    @Test
    void theVaultBucketRefusesEveryRequestWithoutTls() {
        var bucketPolicy = PolicyStatement.of(
                "VaultBucketPolicy", VAULT.properties("VaultBucketPolicy").get("PolicyDocument"));

        assertThat(bucketPolicy)
                .filteredOn(statement -> statement.sid().equals("DenyInsecureTransport"))
                .singleElement()
                .satisfies(statement -> {
                    assertThat(statement.denies()).isTrue();
                    assertThat(statement.actions()).containsExactly("s3:*");
                    assertThat(statement.resources())
                            .containsExactlyInAnyOrder("${VaultBucket.Arn}", "${VaultBucket.Arn}/*");
                    assertThat(statement.condition()).isEqualTo(Map.of("Bool", Map.of("aws:SecureTransport", "false")));
                });
        assertThat(Template.list(
                        Template.asMap(VAULT.properties("VaultBucketPolicy").get("PolicyDocument"))
                                .get("Statement")))
                .as("every statement applies to everyone")
                .allSatisfy(statement ->
                        assertThat(Template.asMap(statement).get("Principal")).isEqualTo("*"));
    }

    @Test
    void theVaultBucketRefusesObjectsEncryptedAnyOtherWay() {
        var denies =
                PolicyStatement.of(
                                "VaultBucketPolicy",
                                VAULT.properties("VaultBucketPolicy").get("PolicyDocument"))
                        .stream()
                        .filter(statement -> statement.denies() && statement.covers("s3:PutObject"))
                        .map(PolicyStatement::condition)
                        .toList();

        // A header is judged only when present: an upload relying on the bucket's default encryption passes.
        assertThat(denies)
                .contains(
                        Map.of(
                                "Null",
                                Map.of("s3:x-amz-server-side-encryption", "false"),
                                "StringNotEquals",
                                Map.of("s3:x-amz-server-side-encryption", "aws:kms")),
                        Map.of(
                                "Null",
                                Map.of("s3:x-amz-server-side-encryption-aws-kms-key-id", "false"),
                                "StringNotEquals",
                                Map.of(
                                        "s3:x-amz-server-side-encryption-aws-kms-key-id",
                                        Map.of("Fn::GetAtt", List.of("VaultKey", "Arn")))));
    }

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.ConnectorService#ALL")
    void anInboxAcceptsMessagesOnlyFromItsOwnRules(ConnectorService service) {
        var policy = CONNECTOR.properties(service.logicalPrefix() + "InboxPolicy");
        var statements = PolicyStatement.of("InboxPolicy", policy.get("PolicyDocument"));
        var rules = CONNECTOR.resourcesOfType("AWS::Events::Rule").entrySet().stream()
                .filter(rule -> Template.list(
                                Template.map(rule.getValue(), "Properties").get("Targets"))
                        .stream()
                        .map(Template::asMap)
                        .anyMatch(target -> target.get("Arn")
                                .equals(Map.of("Fn::GetAtt", List.of(service.logicalPrefix() + "Inbox", "Arn")))))
                .map(rule -> Map.of("Fn::GetAtt", List.of(rule.getKey(), "Arn")))
                .toList();

        assertThat(policy.get("Queues")).isEqualTo(List.of(Map.of("Ref", service.logicalPrefix() + "Inbox")));
        assertThat(statements).singleElement().satisfies(statement -> {
            assertThat(statement.actions()).containsExactly("sqs:SendMessage");
            assertThat(statement.resources()).containsExactly("${" + service.logicalPrefix() + "Inbox.Arn}");
            assertThat(Template.list(
                            Template.map(statement.condition(), "ArnEquals").get("aws:SourceArn")))
                    .containsExactlyInAnyOrderElementsOf(rules);
        });
    }

    /**
     * A statement on the connector's bucket, limited to its {@code signatures/} prefix: objects under it, or listing
     * with an {@code s3:prefix} condition of {@code signatures/*}.
     */
    private static boolean signatures(PolicyStatement statement) {
        var bucket = List.of("${ConnectorBucket.Arn}", "arn:${AWS::Partition}:s3:::${ConnectorId}-connector");
        return !statement.resources().isEmpty()
                && statement.resources().stream()
                        .allMatch(resource -> bucket.stream()
                                .anyMatch(b -> resource.equals(b + "/signatures/*")
                                        || (resource.equals(b)
                                                && statement.actions().equals(List.of("s3:ListBucket"))
                                                && String.valueOf(statement.condition())
                                                        .contains("s3:prefix=signatures/*"))));
    }
}
