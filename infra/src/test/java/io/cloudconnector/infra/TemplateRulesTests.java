package io.cloudconnector.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A bad parameter fails before anything is created, with a message that names it. The emulator
 * evaluates neither parameter constraints nor template Rules, so {@link Preflight} does what
 * CloudFormation does with them.
 */
class TemplateRulesTests {

    @Nested
    class Connector {

        private final Preflight preflight = new Preflight(Template.load(Template.CONNECTOR));

        static Map<String, String> fullMode() {
            var parameters = new HashMap<>(Map.of(
                    "ConnectorId", "cc-prod",
                    "VpcId", "vpc-0123456789abcdef0",
                    "PrivateSubnetIds", "subnet-0123456789abcdef0,subnet-0fedcba9876543210",
                    "ApiIngressCidr", "10.0.0.0/8",
                    "TenantJwksUrl", "https://tenant.example.com/.well-known/jwks.json",
                    "TenantIssuer", "https://tenant.example.com/",
                    "InstallerRoleArn", "arn:aws:iam::123456789012:role/cloudconnector-installer/installer",
                    "PermissionsBoundaryArn", "arn:aws:iam::123456789012:policy/boundary"));
            parameters.put("CertificateArn", ApiTransportTests.CERTIFICATE);
            // Integrity runs from the scanner image (it has freshclam): no image parameter of its own.
            ConnectorService.ALL.stream()
                    .filter(service -> !service.name().equals("integrity"))
                    .forEach(service -> parameters.put(
                            service.output("ImageUri"),
                            "123456789012.dkr.ecr.us-east-1.amazonaws.com/cloud-connector/" + service.name()
                                    + "-service:1.0.0"));
            parameters.put(
                    "ScannerImageUri",
                    "123456789012.dkr.ecr.us-east-1.amazonaws.com/cloud-connector/integrity-scanner:1.0.0");
            return parameters;
        }

        private List<String> failures(Map<String, String> parameters) {
            return preflight.failures("us-east-1", parameters, Map.of());
        }

        @Test
        void localModeNeedsOnlyTheConnectorId() {
            assertThat(failures(Map.of("ConnectorId", "cc-dev"))).isEmpty();
        }

        @Test
        void fullModePassesEveryCheck() {
            assertThat(failures(fullMode())).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"us-east-1", "us-east-2", "us-west-2", "eu-central-1", "ap-southeast-2"})
        void supportedRegionsAreAccepted(String region) {
            assertThat(preflight.failures(region, fullMode(), Map.of())).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"eu-west-1", "us-west-1", "ap-northeast-1", "sa-east-1"})
        void otherRegionsAreRefusedNamingTheRegion(String region) {
            assertThat(preflight.failures(region, Map.of("ConnectorId", "cc-dev"), Map.of()))
                    .singleElement()
                    .asString()
                    .startsWith("SupportedRegion:")
                    .contains("Region (AWS::Region)");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "PrivateSubnetIds",
                    "ApiIngressCidr",
                    "TenantIssuer",
                    "InstallerRoleArn",
                    "PermissionsBoundaryArn",
                    "CatalogImageUri",
                    "ProvisionerImageUri",
                    "JobstatusImageUri",
                    "BackgroundJobsImageUri",
                    "InventoryImageUri",
                    "ScannerImageUri"
                })
        void fullModeNamesEachMissingParameter(String parameter) {
            var parameters = fullMode();
            parameters.remove(parameter);

            assertThat(failures(parameters))
                    .singleElement()
                    .asString()
                    .startsWith("FullModeNeedsEverything: " + parameter + " ");
        }

        @Test
        void imagesOrSubnetsWithoutAVpcNameTheVpc() {
            assertThat(failures(Map.of("ConnectorId", "cc-dev", "CatalogImageUri", "catalog:1")))
                    .singleElement()
                    .asString()
                    .startsWith("ComputeNeedsVpc:")
                    .contains("VpcId is required");
            assertThat(failures(Map.of("ConnectorId", "cc-dev", "PrivateSubnetIds", "subnet-0123456789abcdef0")))
                    .singleElement()
                    .asString()
                    .contains("VpcId is required");
        }

        @Test
        void theTenantKeyMustBeExactlyOneOfUrlOrPublicKey() {
            var both = fullMode();
            both.put("TenantPublicKey", "-----BEGIN PUBLIC KEY----- MFkw -----END PUBLIC KEY-----");
            var neither = fullMode();
            neither.remove("TenantJwksUrl");
            var publicKeyOnly = new HashMap<>(neither);
            publicKeyOnly.put("TenantPublicKey", "-----BEGIN PUBLIC KEY----- MFkw -----END PUBLIC KEY-----");

            for (var parameters : List.of(both, neither)) {
                assertThat(failures(parameters))
                        .singleElement()
                        .asString()
                        .contains("exactly one of TenantJwksUrl or TenantPublicKey");
            }
            assertThat(failures(publicKeyOnly)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"CC-DEV", "c", "-cc-dev", "cc-dev-", "cc-a-connector-id-that-is-far-too-long"})
        void aMalformedConnectorIdIsRefusedByName(String connectorId) {
            assertThat(failures(Map.of("ConnectorId", connectorId)))
                    .singleElement()
                    .asString()
                    .startsWith("Parameter 'ConnectorId' must match pattern");
        }

        @Test
        void aJwksUrlMustBeHttps() {
            var parameters = fullMode();
            parameters.put("TenantJwksUrl", "http://tenant.example.com/jwks.json");

            assertThat(failures(parameters)).singleElement().asString().startsWith("Parameter 'TenantJwksUrl'");
        }

        @Test
        void anUnknownParameterIsRefusedByName() {
            assertThat(failures(Map.of("ConnectorId", "cc-dev", "Vpc", "vpc-0123456789abcdef0")))
                    .singleElement()
                    .asString()
                    .contains("[Vpc]");
        }
    }

    @Nested
    class Vault {

        private static final Map<String, String> SUBNETS = Map.of(
                "subnet-0aaaaaaaaaaaaaaa1", "vpc-0aaaaaaaaaaaaaaa0",
                "subnet-0aaaaaaaaaaaaaaa2", "vpc-0aaaaaaaaaaaaaaa0",
                "subnet-0bbbbbbbbbbbbbbb1", "vpc-0bbbbbbbbbbbbbbb0");

        private final Template template = Template.load(Template.VAULT);
        private final Preflight preflight = new Preflight(template);

        private static Map<String, String> valid() {
            return new HashMap<>(Map.of(
                    "ConnectorId", "cc-prod",
                    "VaultId", "vlt-01hzx3k9q8f7t6r5e4w3q2a1s0",
                    "VpcId", "vpc-0aaaaaaaaaaaaaaa0",
                    "SubnetIds", "subnet-0aaaaaaaaaaaaaaa1,subnet-0aaaaaaaaaaaaaaa2",
                    "WorkerImageUri",
                            "123456789012.dkr.ecr.us-east-1.amazonaws.com/cloud-connector/background-jobs-service:1.0.0",
                    "ScannerImageUri",
                            "123456789012.dkr.ecr.us-east-1.amazonaws.com/cloud-connector/integrity-service:1.0.0"));
        }

        private List<String> failures(Map<String, String> parameters) {
            return preflight.failures("eu-central-1", parameters, SUBNETS);
        }

        @Test
        void aValidVaultPassesEveryCheck() {
            assertThat(failures(valid())).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"eu-west-1", "us-west-1"})
        void otherRegionsAreRefusedNamingTheRegion(String region) {
            assertThat(preflight.failures(region, valid(), SUBNETS))
                    .singleElement()
                    .asString()
                    .contains("Region (AWS::Region)");
        }

        @Test
        void subnetsOfAnotherVpcAreRefusedNamingBoth() {
            var parameters = valid();
            parameters.put("SubnetIds", "subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb1");

            assertThat(failures(parameters))
                    .singleElement()
                    .asString()
                    .startsWith("SubnetsInVpc:")
                    .contains("SubnetIds")
                    .contains("VpcId");
        }

        @Test
        void aMissingSubnetOrVpcIsRefusedByName() {
            var missingSubnet = valid();
            missingSubnet.put("SubnetIds", "subnet-0ccccccccccccccc1");
            var missingVpc = valid();
            missingVpc.put("VpcId", "vpc-0ccccccccccccccc0");

            assertThat(failures(missingSubnet))
                    .singleElement()
                    .asString()
                    .contains("parameter name SubnetIds does not exist");
            assertThat(failures(missingVpc)).singleElement().asString().contains("parameter name VpcId does not exist");
        }

        @ParameterizedTest
        @ValueSource(strings = {"WorkerImageUri", "ScannerImageUri", "VpcId", "SubnetIds", "VaultId"})
        void requiredParametersAreNamedWhenMissing(String parameter) {
            var parameters = valid();
            parameters.remove(parameter);

            assertThat(failures(parameters)).contains("Parameters: [" + parameter + "] must have values");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "vlt-01HZX3K9Q8F7T6R5E4W3Q2A1S0",
                    "01hzx3k9q8f7t6r5e4w3q2a1s0",
                    "vlt-",
                    "vlt-01hzx3k9q8f7t6r5e4w3q2a1s0x"
                })
        void aVaultIdThatWouldMakeABadBucketNameIsRefused(String vaultId) {
            var parameters = valid();
            parameters.put("VaultId", vaultId);

            assertThat(failures(parameters))
                    .singleElement()
                    .asString()
                    .startsWith("Parameter 'VaultId' must match pattern");
        }

        @Test
        void theLongestAcceptedIdsStillMakeAValidBucketName() {
            var parameters = valid();
            parameters.put("ConnectorId", "c".repeat(32));
            parameters.put("VaultId", "vlt-" + "9".repeat(26));
            assertThat(failures(parameters)).isEmpty();

            var bucketName = ((String)
                            Template.asMap(template.properties("VaultBucket").get("BucketName"))
                                    .get("Fn::Sub"))
                    .replace("${ConnectorId}", parameters.get("ConnectorId"))
                    .replace("${VaultId}", parameters.get("VaultId"));

            // S3: 3-63 characters, lower-case letters, digits and hyphens, starting and ending alphanumeric.
            assertThat(bucketName).hasSizeBetween(3, 63).matches("^[a-z0-9][a-z0-9-]*[a-z0-9]$");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "ObjectLockMode=LEGAL",
                    "ObjectLockDays=0",
                    "SpotMaxVcpus=0",
                    "SubnetKind=mixed",
                    "InstanceTypes=m5, c5"
                })
        void outOfRangeSettingsAreRefusedByName(String setting) {
            var name = setting.substring(0, setting.indexOf('='));
            var parameters = valid();
            parameters.put(name, setting.substring(setting.indexOf('=') + 1));

            assertThat(failures(parameters)).singleElement().asString().startsWith("Parameter '" + name + "'");
        }
    }
}
