package io.cloudconnector.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What IAM authorizes for a recorded SDK call: the action(s), the resource ARN and the request context its
 * conditions read, per the Service Authorization Reference. A call can need several (a {@code TransactWriteItems}
 * one per item; a {@code CreateStack} with a role also {@code iam:PassRole}; an S3 write to an SSE-KMS bucket also
 * {@code kms:GenerateDataKey} on the bucket's key, through S3). {@link #map} returns none for calls that need no
 * permission ({@code sts:GetCallerIdentity}); an operation not known here is an {@link IllegalArgumentException}.
 */
final class IamRequests {

    /** One authorization: action on resource with context; vaultId names the vault whose policies apply (or null). */
    record IamRequest(String action, String resource, Map<String, Object> context, String vaultId) {}

    /** The vault a request names none of is evaluated as (the model renders its stack like any other). */
    static final String ANY_VAULT = "vlt-01evaluation";

    private static final Pattern VAULT_NAME = Pattern.compile("^(.+)-(vlt-[0-9a-z]+)$");
    private static final Pattern VAULT_ALIAS = Pattern.compile("^alias/cloudconnector/[^/]+/(vlt-[0-9a-z]+)$");

    private final IamModel model;
    private final String account = IamModel.ACCOUNT_ID;
    private final String region = IamModel.REGION;

    IamRequests(IamModel model) {
        this.model = model;
    }

    List<IamRequest> map(RecordedCall call) {
        var out = new ArrayList<IamRequest>();
        switch (call.service()) {
            case "DynamoDb" -> dynamo(call, out);
            case "S3" -> s3(call, out);
            case "Sqs" -> sqs(call, out);
            case "EventBridge" -> events(call, out);
            case "Kms" -> kms(call, out);
            case "Ec2" -> ec2(call, out);
            case "Ebs" -> ebs(call, out);
            case "CloudFormation" -> cloudformation(call, out);
            case "Batch" -> batch(call, out);
            case "Ecs" -> ecs(call, out);
            case "Scheduler" -> scheduler(call, out);
            case "Sts" -> {
                // GetCallerIdentity needs no permission.
                if (!call.operation().equals("GetCallerIdentity")) {
                    out.add(new IamRequest("sts:" + call.operation(), "*", Map.of(), null));
                }
            }
            case "Iam" -> out.add(new IamRequest("iam:" + call.operation(), iamResource(call), Map.of(), null));
            case "CloudWatchLogs" -> out.add(new IamRequest("logs:" + call.operation(), "*", Map.of(), null));
            case "ServiceQuotas" -> out.add(new IamRequest("servicequotas:" + call.operation(), "*", Map.of(), null));
            default -> throw new IllegalArgumentException("No IAM mapping for service " + call.service());
        }
        return out;
    }

    static String vaultOf(String name) {
        if (name == null) {
            return null;
        }
        var matcher = VAULT_NAME.matcher(name);
        return matcher.matches() ? matcher.group(2) : null;
    }

    // --- DynamoDB -------------------------------------------------------------------------------------------------

    private String table(String name) {
        return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + name;
    }

    private void dynamo(RecordedCall call, List<IamRequest> out) {
        var op = call.operation();
        switch (op) {
            case "TransactWriteItems", "TransactGetItems" -> {
                for (int i = 0; i < 100; i++) {
                    boolean any = false;
                    for (var kind : List.of("Put", "Update", "Delete", "ConditionCheck", "Get")) {
                        var tableName = call.field("TransactItems[" + i + "]." + kind + ".TableName");
                        if (tableName != null) {
                            any = true;
                            var action = kind.equals("ConditionCheck") ? "ConditionCheckItem" : kind + "Item";
                            out.add(new IamRequest(
                                    "dynamodb:" + action,
                                    table(tableName),
                                    leadingKeys(call, "TransactItems[" + i + "]." + kind + "."),
                                    vaultOf(tableName)));
                        }
                    }
                    if (!any) {
                        break;
                    }
                }
            }
            case "BatchWriteItem", "BatchGetItem" -> {
                for (var tableName : call.list("RequestItems{}")) {
                    out.add(new IamRequest("dynamodb:" + op, table(tableName), Map.of(), vaultOf(tableName)));
                }
            }
            default -> {
                var tableName = call.field("TableName");
                var resource = table(tableName);
                if (call.field("IndexName") != null) {
                    resource += "/index/" + call.field("IndexName");
                }
                out.add(new IamRequest("dynamodb:" + op, resource, leadingKeys(call, ""), vaultOf(tableName)));
            }
        }
    }

    private static Map<String, Object> leadingKeys(RecordedCall call, String prefix) {
        var pk = call.field(prefix + "Key.pk.S");
        if (pk == null) {
            pk = call.field(prefix + "Item.pk.S");
        }
        return pk == null ? Map.of() : Map.of("dynamodb:LeadingKeys", List.of(pk));
    }

    // --- S3 ----------------------------------------------------------------------------------------------------------

    private void s3(RecordedCall call, List<IamRequest> out) {
        var bucket = call.field("Bucket");
        var key = call.field("Key");
        var bucketArn = "arn:aws:s3:::" + bucket;
        var objectArn = bucketArn + "/" + key;
        var vault = vaultOf(bucket);
        var versioned = call.field("VersionId") != null;
        var context = new LinkedHashMap<String, Object>();
        context.put("aws:SecureTransport", "true");
        // Every bucket of the emulator belongs to its one account.
        context.put("s3:ResourceAccount", account);
        switch (call.operation()) {
            case "GetObject", "HeadObject" -> {
                out.add(new IamRequest(versioned ? "s3:GetObjectVersion" : "s3:GetObject", objectArn, context, vault));
                kmsThroughS3(vault, "kms:Decrypt", out);
            }
            case "PutObject", "CreateMultipartUpload" -> {
                if (call.field("ServerSideEncryption") != null) {
                    context.put("s3:x-amz-server-side-encryption", call.field("ServerSideEncryption"));
                }
                if (call.field("SSEKMSKeyId") != null) {
                    context.put("s3:x-amz-server-side-encryption-aws-kms-key-id", call.field("SSEKMSKeyId"));
                }
                if (call.field("ObjectLockMode") != null) {
                    context.put("s3:object-lock-mode", call.field("ObjectLockMode"));
                }
                if (call.field("ObjectLockRetainUntilDate") != null) {
                    context.put("s3:object-lock-retain-until-date", call.field("ObjectLockRetainUntilDate"));
                }
                out.add(new IamRequest("s3:PutObject", objectArn, context, vault));
                if (call.field("ObjectLockMode") != null) {
                    out.add(new IamRequest("s3:PutObjectRetention", objectArn, context, vault));
                }
                if (call.field("ObjectLockLegalHoldStatus") != null) {
                    out.add(new IamRequest("s3:PutObjectLegalHold", objectArn, context, vault));
                }
                kmsThroughS3(vault, "kms:GenerateDataKey", out);
            }
            case "UploadPart", "CompleteMultipartUpload" ->
                out.add(new IamRequest("s3:PutObject", objectArn, context, vault));
            case "AbortMultipartUpload" ->
                out.add(new IamRequest("s3:AbortMultipartUpload", objectArn, context, vault));
            case "CopyObject" -> {
                out.add(new IamRequest("s3:PutObject", objectArn, context, vault));
                var source = call.field("CopySource");
                if (source == null) {
                    source = call.field("SourceBucket") + "/" + call.field("SourceKey");
                }
                out.add(new IamRequest("s3:GetObject", "arn:aws:s3:::" + source, context, vault));
                kmsThroughS3(vault, "kms:GenerateDataKey", out);
                kmsThroughS3(vault, "kms:Decrypt", out);
            }
            case "DeleteObject" ->
                out.add(new IamRequest(
                        versioned ? "s3:DeleteObjectVersion" : "s3:DeleteObject", objectArn, context, vault));
            case "DeleteObjects" -> {
                boolean anyVersion = false;
                for (int i = 0; i < 10; i++) {
                    if (call.field("Delete.Objects[" + i + "].VersionId") != null) {
                        anyVersion = true;
                    }
                }
                var first = call.field("Delete.Objects[0].Key");
                var arn = bucketArn + "/" + (first == null ? "*" : first);
                out.add(new IamRequest(anyVersion ? "s3:DeleteObjectVersion" : "s3:DeleteObject", arn, context, vault));
            }
            case "ListObjectsV2", "ListObjects", "HeadBucket" -> {
                if (call.field("Prefix") != null) {
                    context.put("s3:prefix", call.field("Prefix"));
                }
                out.add(new IamRequest("s3:ListBucket", bucketArn, context, vault));
            }
            case "ListObjectVersions" -> {
                if (call.field("Prefix") != null) {
                    context.put("s3:prefix", call.field("Prefix"));
                }
                out.add(new IamRequest("s3:ListBucketVersions", bucketArn, context, vault));
            }
            case "GetObjectRetention", "PutObjectRetention", "GetObjectLegalHold", "PutObjectLegalHold" -> {
                out.add(new IamRequest("s3:" + call.operation(), objectArn, context, vault));
                if ("true".equals(call.field("BypassGovernanceRetention"))) {
                    out.add(new IamRequest("s3:BypassGovernanceRetention", objectArn, context, vault));
                }
            }
            case "GetObjectLockConfiguration" ->
                out.add(new IamRequest("s3:GetBucketObjectLockConfiguration", bucketArn, context, vault));
            case "PutObjectLockConfiguration" ->
                out.add(new IamRequest("s3:PutBucketObjectLockConfiguration", bucketArn, context, vault));
            case "GetBucketLifecycleConfiguration" ->
                out.add(new IamRequest("s3:GetLifecycleConfiguration", bucketArn, context, vault));
            case "PutBucketLifecycleConfiguration" ->
                out.add(new IamRequest("s3:PutLifecycleConfiguration", bucketArn, context, vault));
            case "GetPublicAccessBlock" ->
                out.add(new IamRequest("s3:GetBucketPublicAccessBlock", bucketArn, context, vault));
            case "PutPublicAccessBlock" ->
                out.add(new IamRequest("s3:PutBucketPublicAccessBlock", bucketArn, context, vault));
            case "GetBucketEncryption" ->
                out.add(new IamRequest("s3:GetEncryptionConfiguration", bucketArn, context, vault));
            case "ListBuckets" -> out.add(new IamRequest("s3:ListAllMyBuckets", "*", context, null));
            default -> out.add(new IamRequest("s3:" + call.operation(), bucketArn, context, vault));
        }
    }

    /** SSE-KMS: S3 calls KMS with the caller's credentials, for the bucket's key, with the bucket as context. */
    private void kmsThroughS3(String vault, String action, List<IamRequest> out) {
        if (vault == null) {
            return;
        }
        var v = model.vault(vault);
        out.add(new IamRequest(
                action,
                v.keyArn(),
                Map.of(
                        "kms:ViaService",
                        "s3." + region + ".amazonaws.com",
                        "kms:EncryptionContext:aws:s3:arn",
                        v.bucketArn(),
                        "kms:ResourceAliases",
                        List.of(alias(vault)),
                        "kms:CallerAccount",
                        account),
                vault));
    }

    private String alias(String vault) {
        return "alias/cloudconnector/" + model.connectorId + "/" + vault;
    }

    // --- SQS, EventBridge ---------------------------------------------------------------------------------------

    private void sqs(RecordedCall call, List<IamRequest> out) {
        var url = call.field("QueueUrl");
        var name = url != null ? url.substring(url.lastIndexOf('/') + 1) : call.field("QueueName");
        var action = switch (call.operation()) {
            case "DeleteMessageBatch" -> "DeleteMessage";
            case "ChangeMessageVisibilityBatch" -> "ChangeMessageVisibility";
            case "SendMessageBatch" -> "SendMessage";
            default -> call.operation();
        };
        out.add(new IamRequest("sqs:" + action, "arn:aws:sqs:" + region + ":" + account + ":" + name, Map.of(), null));
    }

    private void events(RecordedCall call, List<IamRequest> out) {
        if (call.operation().equals("DescribeEventBus")) {
            var name = call.field("Name") == null ? "default" : call.field("Name");
            var arn =
                    name.startsWith("arn:") ? name : "arn:aws:events:" + region + ":" + account + ":event-bus/" + name;
            out.add(new IamRequest("events:DescribeEventBus", arn, Map.of(), null));
            return;
        }
        if (!call.operation().equals("PutEvents")) {
            out.add(new IamRequest("events:" + call.operation(), "*", Map.of(), null));
            return;
        }
        for (int i = 0; i < 10; i++) {
            var source = call.field("Entries[" + i + "].Source");
            if (source == null) {
                break;
            }
            var bus = call.field("Entries[" + i + "].EventBusName");
            if (bus == null) {
                bus = "default";
            }
            var arn = bus.startsWith("arn:") ? bus : "arn:aws:events:" + region + ":" + account + ":event-bus/" + bus;
            var context = new LinkedHashMap<String, Object>();
            context.put("events:source", source);
            if (call.field("Entries[" + i + "].DetailType") != null) {
                context.put("events:detail-type", call.field("Entries[" + i + "].DetailType"));
            }
            out.add(new IamRequest("events:PutEvents", arn, context, null));
        }
    }

    // --- KMS -----------------------------------------------------------------------------------------------------

    private void kms(RecordedCall call, List<IamRequest> out) {
        if (call.operation().equals("ListAliases") || call.operation().equals("CreateKey")) {
            out.add(new IamRequest("kms:" + call.operation(), "*", Map.of(), null));
            return;
        }
        var keyId = call.field("KeyId");
        String vault = call.field("EncryptionContext.vault");
        if (vault == null && keyId != null) {
            var alias = VAULT_ALIAS.matcher(keyId.replaceFirst("^arn:aws:kms:[^:]+:[^:]+:", ""));
            if (alias.matches()) {
                vault = alias.group(1);
            }
        }
        var context = new LinkedHashMap<String, Object>();
        call.fields().forEach((name, value) -> {
            if (name.startsWith("EncryptionContext.")) {
                context.put("kms:EncryptionContext:" + name.substring("EncryptionContext.".length()), value);
            }
        });
        context.put("kms:CallerAccount", account);
        String resource;
        if (vault == null && keyId != null && !keyId.contains("alias/")) {
            // A key named by its id or ARN: the connector's only customer-managed keys are the vaults' (connector.yaml
            // makes none), and AWS evaluates kms:ResourceAliases from the key's own aliases whatever the request
            // names it by; so it is a vault's key, as the evaluation's vault.
            vault = ANY_VAULT;
        }
        if (vault != null) {
            resource = model.vault(vault).keyArn();
            context.put("kms:ResourceAliases", List.of(alias(vault)));
        } else {
            resource = keyId != null && keyId.startsWith("arn:")
                    ? keyId
                    : "arn:aws:kms:" + region + ":" + account + ":key/" + keyId;
        }
        out.add(new IamRequest("kms:" + call.operation(), resource, context, vault));
    }

    // --- EC2, EBS ------------------------------------------------------------------------------------------------

    private String ec2(String type, String id) {
        var owner = type.equals("snapshot") || type.equals("image") ? "" : account;
        return "arn:aws:ec2:" + region + ":" + owner + ":" + type + "/" + id;
    }

    private void ec2(RecordedCall call, List<IamRequest> out) {
        var op = call.operation();
        if (op.startsWith("Describe")) {
            out.add(new IamRequest("ec2:" + op, "*", Map.of(), null));
            return;
        }
        var tagged = Map.<String, Object>of("aws:ResourceTag/cloudconnector:connector", model.connectorId);
        switch (op) {
            case "DeleteSnapshot" ->
                out.add(new IamRequest("ec2:DeleteSnapshot", ec2("snapshot", call.field("SnapshotId")), tagged, null));
            case "DeregisterImage" ->
                out.add(new IamRequest("ec2:DeregisterImage", ec2("image", call.field("ImageId")), tagged, null));
            case "CreateSnapshot" -> {
                out.add(new IamRequest("ec2:CreateSnapshot", ec2("volume", call.field("VolumeId")), Map.of(), null));
                out.add(new IamRequest("ec2:CreateSnapshot", ec2("snapshot", "*"), Map.of(), null));
                if (call.field("TagSpecifications[0].ResourceType") != null) {
                    out.add(new IamRequest(
                            "ec2:CreateTags",
                            ec2("snapshot", "*"),
                            Map.of("ec2:CreateAction", "CreateSnapshot"),
                            null));
                }
            }
            case "CreateSnapshots" -> {
                // The instance, each of its volumes and each snapshot made (Service Authorization Reference).
                out.add(new IamRequest(
                        "ec2:CreateSnapshots",
                        ec2("instance", call.field("InstanceSpecification.InstanceId")),
                        Map.of(),
                        null));
                out.add(new IamRequest("ec2:CreateSnapshots", ec2("volume", "*"), Map.of(), null));
                out.add(new IamRequest("ec2:CreateSnapshots", ec2("snapshot", "*"), Map.of(), null));
                if (call.field("TagSpecifications[0].ResourceType") != null) {
                    out.add(new IamRequest(
                            "ec2:CreateTags",
                            ec2("snapshot", "*"),
                            Map.of("ec2:CreateAction", "CreateSnapshots"),
                            null));
                }
            }
            case "CreateVolume" -> {
                out.add(new IamRequest("ec2:CreateVolume", ec2("volume", "*"), Map.of(), null));
                if (call.field("SnapshotId") != null) {
                    out.add(new IamRequest(
                            "ec2:CreateVolume", ec2("snapshot", call.field("SnapshotId")), Map.of(), null));
                }
                if (call.field("TagSpecifications[0].ResourceType") != null) {
                    out.add(new IamRequest(
                            "ec2:CreateTags", ec2("volume", "*"), Map.of("ec2:CreateAction", "CreateVolume"), null));
                }
            }
            case "RegisterImage" -> {
                out.add(new IamRequest("ec2:RegisterImage", ec2("image", "*"), Map.of(), null));
                if (call.field("TagSpecifications[0].ResourceType") != null) {
                    out.add(new IamRequest(
                            "ec2:CreateTags", ec2("image", "*"), Map.of("ec2:CreateAction", "RegisterImage"), null));
                }
            }
            case "CreateTags", "DeleteTags" -> {
                for (var id : call.list("Resources")) {
                    var type = id.startsWith("snap-")
                            ? "snapshot"
                            : id.startsWith("vol-") ? "volume" : id.startsWith("ami-") ? "image" : "instance";
                    out.add(new IamRequest("ec2:" + op, ec2(type, id), Map.of(), null));
                }
            }
            case "RunInstances" -> {
                // Every resource RunInstances creates or uses is authorized, with the request's tags.
                var context = new LinkedHashMap<String, Object>();
                for (int i = 0; i < 10; i++) {
                    var tag = call.field("TagSpecifications[0].Tags[" + i + "].Key");
                    if (tag != null) {
                        context.put("aws:RequestTag/" + tag, call.field("TagSpecifications[0].Tags[" + i + "].Value"));
                    }
                }
                var template = call.field("LaunchTemplate.LaunchTemplateId");
                if (template != null) {
                    context.put("ec2:LaunchTemplate", ec2("launch-template", template));
                }
                for (var created : List.of("instance", "volume", "network-interface")) {
                    out.add(new IamRequest("ec2:RunInstances", ec2(created, "*"), context, null));
                }
                if (template != null) {
                    out.add(new IamRequest("ec2:RunInstances", ec2("launch-template", template), context, null));
                }
                if (call.field("SubnetId") != null) {
                    out.add(new IamRequest("ec2:RunInstances", ec2("subnet", call.field("SubnetId")), context, null));
                }
                for (var group : call.list("SecurityGroupIds")) {
                    out.add(new IamRequest("ec2:RunInstances", ec2("security-group", group), context, null));
                }
                // An instance restore names its network interfaces (subnet, groups) and key pair one by one.
                for (int i = 0; i < 8; i++) {
                    var subnet = call.field("NetworkInterfaces[" + i + "].SubnetId");
                    if (subnet != null) {
                        out.add(new IamRequest("ec2:RunInstances", ec2("subnet", subnet), context, null));
                    }
                    // A list of strings is recorded whole, or flattened by index.
                    var groups = new ArrayList<>(call.list("NetworkInterfaces[" + i + "].Groups"));
                    for (int g = 0; g < 16; g++) {
                        var group = call.field("NetworkInterfaces[" + i + "].Groups[" + g + "]");
                        if (group != null) {
                            groups.add(group);
                        }
                    }
                    for (var group : groups) {
                        out.add(new IamRequest("ec2:RunInstances", ec2("security-group", group), context, null));
                    }
                }
                if (call.field("KeyName") != null) {
                    out.add(new IamRequest("ec2:RunInstances", ec2("key-pair", call.field("KeyName")), context, null));
                }
                if (call.field("TagSpecifications[0].ResourceType") != null) {
                    var tagging = new LinkedHashMap<>(context);
                    tagging.put("ec2:CreateAction", "RunInstances");
                    out.add(new IamRequest("ec2:CreateTags", ec2("instance", "*"), tagging, null));
                }
            }
            case "TerminateInstances", "StopInstances" -> {
                for (var id : call.list("InstanceIds")) {
                    out.add(new IamRequest("ec2:" + op, ec2("instance", id), tagged, null));
                }
            }
            default -> out.add(new IamRequest("ec2:" + op, "*", Map.of(), null));
        }
    }

    private void ebs(RecordedCall call, List<IamRequest> out) {
        var op = call.operation();
        switch (op) {
            case "StartSnapshot" -> out.add(new IamRequest("ebs:StartSnapshot", ec2("snapshot", "*"), Map.of(), null));
            case "ListChangedBlocks" -> {
                out.add(new IamRequest(
                        "ebs:ListChangedBlocks", ec2("snapshot", call.field("SecondSnapshotId")), Map.of(), null));
                if (call.field("FirstSnapshotId") != null) {
                    out.add(new IamRequest(
                            "ebs:ListChangedBlocks", ec2("snapshot", call.field("FirstSnapshotId")), Map.of(), null));
                }
            }
            default -> out.add(new IamRequest("ebs:" + op, ec2("snapshot", call.field("SnapshotId")), Map.of(), null));
        }
    }

    // --- CloudFormation, Batch, ECS, Scheduler, IAM -----------------------------------------------------------

    private void cloudformation(RecordedCall call, List<IamRequest> out) {
        var op = call.operation();
        if (op.equals("ValidateTemplate") || (op.equals("DescribeStacks") && call.field("StackName") == null)) {
            out.add(new IamRequest("cloudformation:" + op, "*", Map.of(), null));
            return;
        }
        var name = call.field("StackName");
        var arn = name.startsWith("arn:")
                ? name
                : "arn:aws:cloudformation:" + region + ":" + account + ":stack/" + name + "/0f0e0d0c";
        var context = new LinkedHashMap<String, Object>();
        if (call.field("TemplateURL") != null) {
            context.put("cloudformation:TemplateUrl", call.field("TemplateURL"));
        }
        if (call.field("RoleARN") != null) {
            context.put("cloudformation:RoleArn", call.field("RoleARN"));
        }
        out.add(new IamRequest("cloudformation:" + op, arn, context, null));
        if (call.field("RoleARN") != null) {
            out.add(new IamRequest(
                    "iam:PassRole",
                    call.field("RoleARN"),
                    Map.of("iam:PassedToService", "cloudformation.amazonaws.com"),
                    null));
        }
    }

    private void batch(RecordedCall call, List<IamRequest> out) {
        var op = call.operation();
        var prefix = "arn:aws:batch:" + region + ":" + account + ":";
        switch (op) {
            case "SubmitJob" -> {
                var queue = call.field("JobQueue");
                var definition = call.field("JobDefinition");
                out.add(new IamRequest(
                        "batch:SubmitJob",
                        queue.startsWith("arn:") ? queue : prefix + "job-queue/" + queue,
                        Map.of(),
                        null));
                out.add(new IamRequest(
                        "batch:SubmitJob",
                        definition.startsWith("arn:") ? definition : prefix + "job-definition/" + definition,
                        Map.of(),
                        null));
            }
            case "TerminateJob", "CancelJob" ->
                out.add(new IamRequest("batch:" + op, prefix + "job/" + call.field("JobId"), Map.of(), null));
            default -> out.add(new IamRequest("batch:" + op, "*", Map.of(), null));
        }
    }

    private void ecs(RecordedCall call, List<IamRequest> out) {
        var op = call.operation();
        var prefix = "arn:aws:ecs:" + region + ":" + account + ":";
        var cluster = call.field("Cluster");
        var clusterArn = cluster == null ? null : cluster.startsWith("arn:") ? cluster : prefix + "cluster/" + cluster;
        Map<String, Object> context = clusterArn == null ? Map.of() : Map.of("ecs:cluster", clusterArn);
        switch (op) {
            case "RunTask" -> {
                var definition = call.field("TaskDefinition");
                out.add(new IamRequest(
                        "ecs:RunTask",
                        definition.startsWith("arn:") ? definition : prefix + "task-definition/" + definition,
                        context,
                        null));
                for (var role : List.of("Overrides.TaskRoleArn", "Overrides.ExecutionRoleArn")) {
                    if (call.field(role) != null) {
                        out.add(new IamRequest(
                                "iam:PassRole",
                                call.field(role),
                                Map.of("iam:PassedToService", "ecs-tasks.amazonaws.com"),
                                null));
                    }
                }
            }
            case "StopTask" ->
                out.add(new IamRequest("ecs:StopTask", task(call.field("Task"), cluster), context, null));
            case "DescribeTasks" -> {
                for (var task : call.list("Tasks")) {
                    out.add(new IamRequest("ecs:DescribeTasks", task(task, cluster), context, null));
                }
            }
            case "DescribeClusters" -> {
                for (var c : call.list("Clusters")) {
                    out.add(new IamRequest(
                            "ecs:DescribeClusters",
                            c.startsWith("arn:") ? c : prefix + "cluster/" + c,
                            Map.of(),
                            null));
                }
            }
            case "TagResource" -> out.add(new IamRequest("ecs:TagResource", call.field("ResourceArn"), Map.of(), null));
            default -> out.add(new IamRequest("ecs:" + op, "*", context, null));
        }
    }

    private String task(String task, String cluster) {
        if (task.startsWith("arn:")) {
            return task;
        }
        var clusterName = cluster == null ? "default" : cluster.substring(cluster.lastIndexOf('/') + 1);
        return "arn:aws:ecs:" + region + ":" + account + ":task/" + clusterName + "/" + task;
    }

    private void scheduler(RecordedCall call, List<IamRequest> out) {
        var op = call.operation();
        var group = call.field("GroupName") == null ? "default" : call.field("GroupName");
        var prefix = "arn:aws:scheduler:" + region + ":" + account + ":";
        if (op.endsWith("ScheduleGroup")) {
            out.add(new IamRequest("scheduler:" + op, prefix + "schedule-group/" + call.field("Name"), Map.of(), null));
            return;
        }
        if (op.startsWith("List")) {
            out.add(new IamRequest("scheduler:" + op, "*", Map.of(), null));
            return;
        }
        out.add(new IamRequest(
                "scheduler:" + op, prefix + "schedule/" + group + "/" + call.field("Name"), Map.of(), null));
        if (call.field("Target.RoleArn") != null) {
            // The service passes the role the template hands it (CONNECTOR_POLICIES_SCHEDULER_ROLE_ARN is
            // PolicySchedulerRole's ARN); the tests configure a name of their own for it.
            out.add(new IamRequest(
                    "iam:PassRole",
                    call.field("Target.RoleArn").endsWith("/policy-scheduler")
                            ? model.policySchedulerRoleArn()
                            : call.field("Target.RoleArn"),
                    Map.of("iam:PassedToService", "scheduler.amazonaws.com"),
                    null));
        }
    }

    private String iamResource(RecordedCall call) {
        if (call.field("RoleName") != null) {
            return "arn:aws:iam::" + account + ":role/" + call.field("RoleName");
        }
        return "*";
    }
}
