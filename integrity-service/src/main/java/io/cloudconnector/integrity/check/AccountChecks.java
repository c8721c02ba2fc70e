package io.cloudconnector.integrity.check;

import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.config.ConnectorProperties;
import io.cloudconnector.common.vault.VaultResources;
import io.cloudconnector.integrity.config.IntegrityProperties;
import io.cloudconnector.integrity.report.Outcome;
import io.cloudconnector.integrity.vault.VaultRecord;
import io.cloudconnector.integrity.vault.VaultRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.CEState;
import software.amazon.awssdk.services.batch.model.CEStatus;
import software.amazon.awssdk.services.batch.model.ComputeEnvironmentDetail;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.VpcEndpoint;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The account checks: everything in the account that would break protection, each with a reason and a
 * fix. Read-only calls; a call the connector may not make is itself a finding (the check cannot vouch).
 *
 * <p>It is longer than the usual 450 lines because it holds every check, each a short method of read-only calls,
 * listed together as the API lists them.
 */
@Component
class AccountChecks {

    static final List<String> SERVICES =
            List.of("catalog", "provisioner", "jobstatus", "background-jobs", "integrity", "inventory");
    /** What workers and ScaleZ servers in private subnets must reach, as VPC endpoint service suffixes. */
    private static final List<String> PRIVATE_ENDPOINTS =
            List.of("s3", "dynamodb", "sqs", "kms", "ebs", "ecr.api", "ecr.dkr");

    private static final Set<String> GATEWAY_ENDPOINTS = Set.of("s3", "dynamodb");

    private final VaultRepository vaults;
    private final IntegrityProperties properties;
    private final ConnectorProperties connector;
    private final AwsProperties aws;
    private final Ec2Client ec2;
    private final KmsClient kms;
    private final S3Client s3;
    private final BatchClient batch;
    private final DynamoDbClient dynamo;
    private final SqsClient sqs;
    private final EventBridgeClient events;

    AccountChecks(
            VaultRepository vaults,
            IntegrityProperties properties,
            ConnectorProperties connector,
            AwsProperties aws,
            Ec2Client ec2,
            KmsClient kms,
            S3Client s3,
            BatchClient batch,
            DynamoDbClient dynamo,
            SqsClient sqs,
            EventBridgeClient events) {
        this.vaults = vaults;
        this.properties = properties;
        this.connector = connector;
        this.aws = aws;
        this.ec2 = ec2;
        this.kms = kms;
        this.s3 = s3;
        this.batch = batch;
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.events = events;
    }

    /** How many groups of checks {@link #run} goes through (for job progress). */
    int steps() {
        return 2 + vaults.active().size();
    }

    /** Runs every check; {@code stepDone} is called after each group. */
    List<CheckResult> run(Consumer<Integer> stepDone) {
        List<CheckResult> results = new ArrayList<>();
        region(results);
        connectorResources(results);
        stepDone.accept(1);
        var active = vaults.active();
        for (int i = 0; i < active.size(); i++) {
            vault(active.get(i), results);
            stepDone.accept(2 + i);
        }
        return results;
    }

    private void region(List<CheckResult> out) {
        boolean supported = properties.checks().supportedRegions().contains(aws.region());
        out.add(
                supported
                        ? CheckResult.pass("region-supported", aws.region(), "the connector runs in a supported region")
                        : CheckResult.fail(
                                "region-supported",
                                aws.region(),
                                "region " + aws.region() + " is not supported",
                                "deploy the connector in one of "
                                        + properties.checks().supportedRegions()));
    }

    private void connectorResources(List<CheckResult> out) {
        for (var service : SERVICES) {
            String table = connector.id() + "-" + service;
            guarded(
                    out,
                    "connector-table",
                    table,
                    () -> {
                        var status = dynamo.describeTable(b -> b.tableName(table))
                                .table()
                                .tableStatusAsString();
                        out.add(
                                "ACTIVE".equals(status)
                                        ? CheckResult.pass("connector-table", table, "table is ACTIVE")
                                        : CheckResult.fail(
                                                "connector-table",
                                                table,
                                                "table is " + status,
                                                "wait for it, or redeploy the connector stack"));
                    },
                    "redeploy the connector stack (connector.yaml)");
            for (var suffix : List.of("-inbox", "-inbox-dlq")) {
                String queue = connector.id() + "-" + service + suffix;
                guarded(
                        out,
                        "connector-queue",
                        queue,
                        () -> {
                            var url = sqs.getQueueUrl(b -> b.queueName(queue)).queueUrl();
                            out.add(CheckResult.pass("connector-queue", queue, "queue exists"));
                            if (suffix.endsWith("dlq")) {
                                var depth = Long.parseLong(sqs.getQueueAttributes(b -> b.queueUrl(url)
                                                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                                        .attributes()
                                        .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
                                out.add(
                                        depth == 0
                                                ? CheckResult.pass(
                                                        "dead-letter-queue-empty", queue, "no failed messages")
                                                : CheckResult.fail(
                                                        "dead-letter-queue-empty",
                                                        queue,
                                                        depth + " message" + (depth == 1 ? "" : "s") + " the " + service
                                                                + " service failed to handle 5 times",
                                                        "read them, fix the cause (the service log names it), then redrive them to "
                                                                + connector.id() + "-" + service + "-inbox"));
                            }
                        },
                        "redeploy the connector stack (connector.yaml)");
            }
        }
        String bus = connector.eventBus();
        guarded(
                out,
                "connector-bus",
                bus,
                () -> {
                    events.describeEventBus(b -> b.name(bus));
                    out.add(CheckResult.pass("connector-bus", bus, "event bus exists"));
                },
                "redeploy the connector stack (connector.yaml)");
    }

    private void vault(VaultRecord vault, List<CheckResult> out) {
        var resources = new VaultResources(connector.id(), vault.id());
        String prefix = resources.stackName();
        guarded(
                out,
                "vault-compute",
                prefix,
                () -> {
                    var environments = batch.describeComputeEnvironments(
                                    b -> b.computeEnvironments(resources.computeEnvironment()))
                            .computeEnvironments();
                    if (environments.isEmpty()) {
                        out.add(CheckResult.fail(
                                "vault-compute",
                                prefix,
                                "the vault's Batch compute environment is missing",
                                "update the vault stack " + prefix + " (vault.yaml)"));
                        return;
                    }
                    var environment = environments.getFirst();
                    out.add(
                            environment.status() == CEStatus.VALID && environment.state() == CEState.ENABLED
                                    ? CheckResult.pass(
                                            "vault-compute", prefix, "compute environment is VALID and ENABLED")
                                    : CheckResult.fail(
                                            "vault-compute",
                                            prefix,
                                            "compute environment is " + environment.statusAsString()
                                                    + "/" + environment.stateAsString()
                                                    + (environment.statusReason() == null
                                                            ? ""
                                                            : ": " + environment.statusReason()),
                                            "fix what the status reason names (subnets, roles, instance types), then update the vault stack"));
                    network(vault, environment, out);
                },
                "update the vault stack " + prefix + " (vault.yaml)");
        guarded(
                out,
                "vault-kms-key",
                vault.kmsKeyArn(),
                () -> {
                    var state = kms.describeKey(b -> b.keyId(vault.kmsKeyArn()))
                            .keyMetadata()
                            .keyState();
                    out.add(
                            state == KeyState.ENABLED
                                    ? CheckResult.pass("vault-kms-key", vault.kmsKeyArn(), "key is enabled")
                                    : CheckResult.fail(
                                            "vault-kms-key",
                                            vault.kmsKeyArn(),
                                            "key is " + state + ": the vault's backups can neither be written nor read",
                                            "enable the key (kms:EnableKey) or cancel its deletion"));
                    boolean rotating = kms.getKeyRotationStatus(b -> b.keyId(vault.kmsKeyArn()))
                            .keyRotationEnabled();
                    out.add(
                            rotating
                                    ? CheckResult.pass(
                                            "vault-kms-key-rotation", vault.kmsKeyArn(), "automatic rotation is on")
                                    : CheckResult.fail(
                                            "vault-kms-key-rotation",
                                            vault.kmsKeyArn(),
                                            "automatic rotation is off",
                                            "turn it on: aws kms enable-key-rotation --key-id " + vault.kmsKeyArn()));
                },
                "check that the key exists and that the integrity role may describe it");
        bucket(vault, out);
    }

    private void bucket(VaultRecord vault, List<CheckResult> out) {
        String bucket = vault.bucketName();
        guarded(
                out,
                "vault-bucket-encryption",
                bucket,
                () -> {
                    var rules = s3.getBucketEncryption(b -> b.bucket(bucket))
                            .serverSideEncryptionConfiguration()
                            .rules();
                    boolean kmsDefault = rules.stream()
                            .anyMatch(r -> r.applyServerSideEncryptionByDefault() != null
                                    && "aws:kms"
                                            .equals(r.applyServerSideEncryptionByDefault()
                                                    .sseAlgorithmAsString()));
                    out.add(
                            kmsDefault
                                    ? CheckResult.pass(
                                            "vault-bucket-encryption", bucket, "default encryption is SSE-KMS")
                                    : CheckResult.fail(
                                            "vault-bucket-encryption",
                                            bucket,
                                            "default encryption is not SSE-KMS",
                                            "set SSE-KMS with the vault's key " + vault.kmsKeyArn()
                                                    + " as the bucket's default encryption"));
                },
                "set SSE-KMS with the vault's key as the bucket's default encryption");
        guarded(
                out,
                "vault-bucket-versioning",
                bucket,
                () -> {
                    var status = s3.getBucketVersioning(b -> b.bucket(bucket)).status();
                    out.add(
                            status == BucketVersioningStatus.ENABLED
                                    ? CheckResult.pass("vault-bucket-versioning", bucket, "versioning is enabled")
                                    : CheckResult.fail(
                                            "vault-bucket-versioning",
                                            bucket,
                                            "versioning is "
                                                    + (status == null ? "off" : status.toString())
                                                    + ": deleted or overwritten backup data cannot be recovered",
                                            "enable versioning on " + bucket));
                },
                "enable versioning on " + bucket);
        guarded(
                out,
                "vault-bucket-public-access",
                bucket,
                () -> {
                    var block = s3.getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration();
                    boolean all = Boolean.TRUE.equals(block.blockPublicAcls())
                            && Boolean.TRUE.equals(block.blockPublicPolicy())
                            && Boolean.TRUE.equals(block.ignorePublicAcls())
                            && Boolean.TRUE.equals(block.restrictPublicBuckets());
                    out.add(
                            all
                                    ? CheckResult.pass("vault-bucket-public-access", bucket, "public access is blocked")
                                    : CheckResult.fail(
                                            "vault-bucket-public-access",
                                            bucket,
                                            "public access is not fully blocked",
                                            "turn on all four settings of the bucket's public access block"));
                },
                "turn on all four settings of the bucket's public access block");
    }

    private void network(VaultRecord vault, ComputeEnvironmentDetail environment, List<CheckResult> out) {
        String resource = new VaultResources(connector.id(), vault.id()).computeEnvironment();
        var wanted = environment.computeResources() == null
                ? List.<String>of()
                : environment.computeResources().subnets();
        if (wanted.isEmpty()) {
            out.add(CheckResult.fail(
                    "vault-subnets",
                    resource,
                    "the compute environment names no subnets",
                    "update the vault stack with the vault's subnets"));
            return;
        }
        List<Subnet> subnets;
        try {
            subnets = ec2.describeSubnets(b -> b.subnetIds(wanted)).subnets();
        } catch (AwsServiceException e) {
            out.add(CheckResult.fail(
                    "vault-subnets",
                    resource,
                    "subnets " + wanted + " cannot be described: "
                            + e.awsErrorDetails().errorMessage(),
                    "choose existing subnets and update the vault stack"));
            return;
        }
        var vpcs = subnets.stream().map(Subnet::vpcId).collect(Collectors.toSet());
        var zones = subnets.stream().map(Subnet::availabilityZone).collect(Collectors.toSet());
        if (subnets.size() != wanted.size() || vpcs.size() != 1) {
            out.add(CheckResult.fail(
                    "vault-subnets",
                    resource,
                    "subnets " + wanted + " are missing or in several VPCs",
                    "choose existing subnets of one VPC and update the vault stack"));
            return;
        }
        String vpc = vpcs.iterator().next();
        out.add(
                zones.size() >= 2
                        ? CheckResult.pass(
                                "vault-subnets",
                                resource,
                                subnets.size() + " subnets of " + vpc + " in " + zones.size() + " availability zones")
                        : CheckResult.warn(
                                "vault-subnets",
                                resource,
                                "all subnets are in " + zones.iterator().next()
                                        + ": an outage of that zone stops the vault's jobs",
                                "add a subnet in a second availability zone"));
        var tables =
                ec2.describeRouteTables(b -> b.filters(filter("vpc-id", vpc))).routeTables();
        Map<String, RouteTable> bySubnet = new java.util.HashMap<>();
        RouteTable main = null;
        for (var table : tables) {
            for (var association : table.associations()) {
                if (Boolean.TRUE.equals(association.main())) {
                    main = table;
                } else if (association.subnetId() != null) {
                    bySubnet.put(association.subnetId(), table);
                }
            }
        }
        List<String> publicSubnets = new ArrayList<>();
        List<String> privateSubnets = new ArrayList<>();
        List<String> withNat = new ArrayList<>();
        Map<String, String> tableOf = new java.util.HashMap<>();
        for (var subnet : subnets) {
            var table = bySubnet.getOrDefault(subnet.subnetId(), main);
            tableOf.put(subnet.subnetId(), table == null ? "" : table.routeTableId());
            boolean viaGateway = table != null
                    && table.routes().stream()
                            .anyMatch(
                                    r -> r.gatewayId() != null && r.gatewayId().startsWith("igw-"));
            boolean viaNat = table != null
                    && table.routes().stream()
                            .anyMatch(r -> "0.0.0.0/0".equals(r.destinationCidrBlock())
                                    && (r.natGatewayId() != null
                                            || r.instanceId() != null
                                            || r.transitGatewayId() != null));
            (viaGateway ? publicSubnets : privateSubnets).add(subnet.subnetId());
            if (viaNat) {
                withNat.add(subnet.subnetId());
            }
        }
        out.add(
                publicSubnets.isEmpty() || privateSubnets.isEmpty()
                        ? CheckResult.pass(
                                "vault-subnet-kind",
                                resource,
                                "subnets are all " + (publicSubnets.isEmpty() ? "private" : "public"))
                        : CheckResult.fail(
                                "vault-subnet-kind",
                                resource,
                                "mixed subnets: public " + publicSubnets + ", private " + privateSubnets,
                                "use only private subnets (with NAT or endpoints) or only public ones"));
        var endpoints =
                ec2.describeVpcEndpoints(b -> b.filters(filter("vpc-id", vpc))).vpcEndpoints();
        for (var subnet : privateSubnets) {
            if (withNat.contains(subnet)) {
                out.add(CheckResult.pass("vault-private-subnet-reaches-aws", subnet, "routes to AWS APIs through NAT"));
                continue;
            }
            var missing = PRIVATE_ENDPOINTS.stream()
                    .filter(service -> !reaches(endpoints, service, tableOf.getOrDefault(subnet, "")))
                    .toList();
            out.add(
                    missing.isEmpty()
                            ? CheckResult.pass(
                                    "vault-private-subnet-reaches-aws",
                                    subnet,
                                    "reaches " + String.join(", ", PRIVATE_ENDPOINTS) + " through VPC endpoints")
                            : CheckResult.fail(
                                    "vault-private-subnet-reaches-aws",
                                    subnet,
                                    "private subnet has no NAT route and no " + "VPC endpoint for "
                                            + String.join(", ", missing) + ": jobs there cannot reach AWS",
                                    "add a NAT gateway route (0.0.0.0/0) to its route table, or create the endpoints "
                                            + missing.stream()
                                                    .map(s -> "com.amazonaws." + aws.region() + "." + s)
                                                    .toList()
                                            + " (gateway endpoints for s3 and dynamodb must be associated with its route table)"));
        }
    }

    private boolean reaches(List<VpcEndpoint> endpoints, String service, String routeTable) {
        String name = "com.amazonaws." + aws.region() + "." + service;
        return endpoints.stream()
                .anyMatch(e -> name.equals(e.serviceName())
                        && !"deleted".equalsIgnoreCase(e.stateAsString())
                        && !"failed".equalsIgnoreCase(e.stateAsString())
                        && (!GATEWAY_ENDPOINTS.contains(service)
                                || e.vpcEndpointTypeAsString().equalsIgnoreCase("Interface")
                                || e.routeTableIds().contains(routeTable)));
    }

    private static Filter filter(String name, String value) {
        return Filter.builder().name(name).values(value).build();
    }

    /** Runs a check; an AWS error (a missing resource, a refused call) is a failed check naming the fix. */
    private static void guarded(List<CheckResult> out, String check, String resource, Runnable body, String fix) {
        try {
            body.run();
        } catch (AwsServiceException e) {
            var details = e.awsErrorDetails();
            String code =
                    details == null || details.errorCode() == null ? "HTTP " + e.statusCode() : details.errorCode();
            String message =
                    details == null || details.errorMessage() == null ? e.getMessage() : details.errorMessage();
            boolean denied = code.contains("AccessDenied") || code.contains("UnauthorizedOperation");
            out.add(
                    denied
                            ? CheckResult.warn(
                                    check,
                                    resource,
                                    "cannot be checked: the integrity service may not call this (" + code + ")",
                                    "allow the integrity task role this read-only call")
                            : CheckResult.fail(check, resource, code + ": " + message, fix));
        }
    }

    static Outcome worst(List<CheckResult> results) {
        return results.stream().map(CheckResult::outcome).max(Enum::compareTo).orElse(Outcome.PASS);
    }
}
