package io.cloudconnector.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Which partitions of a vault's DynamoDB table each role may touch ({@code dynamodb:LeadingKeys}): the locks
 * ({@code scalez-lock}, {@code DynamoDbLocks}) for every role that opens the repository, the provisioner's lease
 * ({@code provisioner-lease}, {@code VaultLeases}) and the ScaleZ server registrations ({@code scalez-server},
 * {@code ServerRegistrations}) for the provisioner alone. A backup trusts the server a registration names, so a
 * worker, scanner, server or catalog that could write one could point backups at a rogue server.
 */
class VaultTablePartitionTests {

    private static final String VAULT_TABLE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/cc-vlt-v1";
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9:]+)(?:\\.([A-Za-z]+))?}");
    private static final List<String> ITEM_ACTIONS = List.of(
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:Query",
            "dynamodb:Scan",
            "dynamodb:BatchGetItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:PartiQLSelect",
            "dynamodb:PartiQLInsert",
            "dynamodb:PartiQLUpdate",
            "dynamodb:PartiQLDelete");
    private static final List<String> WRITE_ACTIONS = List.of(
            "dynamodb:PutItem",
            "dynamodb:UpdateItem",
            "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:PartiQLInsert",
            "dynamodb:PartiQLUpdate",
            "dynamodb:PartiQLDelete");
    private static final String LEADING_KEYS_OPERATOR = "ForAllValues:StringEquals";

    /** Every Allow of every role and managed policy that reaches a vault's table (not the boundary: a ceiling). */
    private static List<PolicyStatement> onVaultTables() {
        return Stream.of(Template.ACCOUNT, Template.CONNECTOR, Template.VAULT)
                .map(Template::load)
                .flatMap(template -> Stream.concat(
                        template.resourcesOfType("AWS::IAM::Role").keySet().stream()
                                .flatMap(role -> PolicyStatement.ofRole(template, role).stream()),
                        template.resourcesOfType("AWS::IAM::ManagedPolicy").keySet().stream()
                                .filter(id -> !id.equals("PermissionsBoundary"))
                                .flatMap(id ->
                                        PolicyStatement.of(
                                                id, template.properties(id).get("PolicyDocument"))
                                                .stream())))
                .filter(PolicyStatement::allows)
                .filter(statement -> ITEM_ACTIONS.stream().anyMatch(statement::covers))
                .filter(statement -> statement.resources().stream().anyMatch(VaultTablePartitionTests::isVaultTable))
                .toList();
    }

    /** Whether a statement's resource (as {@code Fn::Sub} text) matches a vault table of connector {@code cc}. */
    static boolean isVaultTable(String resource) {
        var concrete = new StringBuilder();
        var matcher = REFERENCE.matcher(resource);
        while (matcher.find()) {
            var name = matcher.group(1);
            var attribute = matcher.group(2);
            String value = switch (name) {
                case "AWS::Partition" -> "aws";
                case "AWS::Region" -> "us-east-1";
                case "AWS::AccountId" -> "123456789012";
                case "ConnectorId", "ConnectorIdPrefix" -> "cc";
                case "VaultTable" -> "Arn".equals(attribute) ? VAULT_TABLE_ARN : "cc-vlt-v1";
                default -> "#" + name + "#";
            };
            matcher.appendReplacement(concrete, java.util.regex.Matcher.quoteReplacement(value));
        }
        matcher.appendTail(concrete);
        return PolicyStatement.matches(concrete.toString(), VAULT_TABLE_ARN);
    }

    private static List<String> leadingKeyValues(PolicyStatement statement) {
        var operator = statement.condition().get(LEADING_KEYS_OPERATOR);
        if (!(operator instanceof Map<?, ?> map)) {
            return List.of();
        }
        return Template.list(map.get("dynamodb:LeadingKeys")).stream()
                .map(String::valueOf)
                .toList();
    }

    private static String role(PolicyStatement statement) {
        var owner = statement.owner();
        int slash = owner.indexOf('/');
        return slash < 0 ? owner : owner.substring(0, slash);
    }

    @Test
    void theTemplatesHaveRolesOnVaultTablesToCheck() {
        assertThat(onVaultTables())
                .extracting(VaultTablePartitionTests::role)
                .contains(
                        "CatalogTaskRole",
                        "ProvisionerTaskRole",
                        "BackgroundJobsTaskRole",
                        "WorkerJobRole",
                        "ScannerJobRole",
                        "ScalezServerVaultAccess");
    }

    @Test
    void everyStatementOnAVaultTableNamesThePartitionsItMayTouch() {
        assertThat(onVaultTables()).allSatisfy(statement -> {
            assertThat(leadingKeyValues(statement))
                    .as("%s: dynamodb:LeadingKeys under %s", statement, LEADING_KEYS_OPERATOR)
                    .isNotEmpty()
                    .noneMatch(key -> key.contains("*") || key.contains("?") || key.contains("$"));
        });
    }

    @Test
    void onlyTheProvisionerMayWriteScalezServerRegistrations() {
        var writers = onVaultTables().stream()
                .filter(statement -> WRITE_ACTIONS.stream().anyMatch(statement::covers))
                .filter(statement -> leadingKeyValues(statement).isEmpty()
                        || leadingKeyValues(statement).contains("scalez-server"))
                .map(VaultTablePartitionTests::role)
                .distinct()
                .toList();

        assertThat(writers).containsExactly("ProvisionerTaskRole");
    }

    @Test
    void eachRoleWritesOnlyThePartitionsItsCodeWrites() {
        var expected = Map.of(
                "CatalogTaskRole", Set.of("scalez-lock"),
                "BackgroundJobsTaskRole", Set.of("scalez-lock"),
                "WorkerJobRole", Set.of("scalez-lock"),
                "ScannerJobRole", Set.of("scalez-lock"),
                "ScalezServerVaultAccess", Set.of("scalez-lock", "scalez-server-certificate"),
                "ProvisionerTaskRole", Set.of("provisioner-lease", "scalez-server", "scalez-server-certificate"));
        var written = new java.util.TreeMap<String, Set<String>>();
        onVaultTables().stream()
                .filter(statement -> WRITE_ACTIONS.stream().anyMatch(statement::covers))
                .forEach(statement -> written.computeIfAbsent(role(statement), r -> new TreeSet<>())
                        .addAll(leadingKeyValues(statement)));

        // ScalezServerTaskRole and ScalezServerInstanceRole attach ScalezServerVaultAccess: their statements are its.
        written.remove("ScalezServerTaskRole");
        written.remove("ScalezServerInstanceRole");
        assertThat(written).isEqualTo(new java.util.TreeMap<>(expected));
    }

    @Test
    void theResourceMatcherTellsAVaultTableFromOthers() {
        assertThat(isVaultTable(
                        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${ConnectorId}-vlt-*"))
                .isTrue();
        assertThat(isVaultTable("${VaultTable.Arn}")).isTrue();
        assertThat(isVaultTable("*")).isTrue();
        assertThat(isVaultTable("${CatalogTable.Arn}")).isFalse();
        assertThat(isVaultTable("arn:${AWS::Partition}:s3:::${ConnectorId}-vlt-*"))
                .isFalse();
    }
}
