package io.cloudconnector.infra;

import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.EmulatorClients;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.CreateStackRequest;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.ResourceStatus;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Creates and deletes stacks through the CloudFormation API and waits for them (bounded), the way an
 * installer does; a failed stack fails with the resources that failed and why. (The emulator creates the
 * resources inside CreateStack and answers a failing one with an error there, which names it too.)
 */
final class StackDeployer {

    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final CloudFormationClient cloudFormation;
    private final S3Client s3;

    StackDeployer(AwsEmulator emulator) {
        this.cloudFormation = EmulatorClients.client(emulator, CloudFormationClient.builder());
        this.s3 = EmulatorClients.s3(emulator);
    }

    /** Creates a stack from the template text (the way the local stack and the catalog service do) and returns its outputs. */
    Map<String, String> createFromBody(String stackName, String template, Map<String, String> parameters) {
        return create(stackName, parameters, request -> request.templateBody(Template.body(template)));
    }

    /**
     * Creates a stack from a template uploaded to S3 first, the way a real installation of a template
     * above CloudFormation's 51,200-byte TemplateBody limit has to, and returns its outputs.
     */
    Map<String, String> createFromS3(String stackName, String template, Map<String, String> parameters) {
        var bucket = "cloudconnector-templates";
        s3.createBucket(request -> request.bucket(bucket));
        s3.putObject(request -> request.bucket(bucket).key(template), RequestBody.fromString(Template.body(template)));
        var url = "https://s3.amazonaws.com/" + bucket + "/" + template;
        return create(stackName, parameters, request -> request.templateURL(url));
    }

    void delete(String stackName) {
        // Once deleted, a stack is found by its id only.
        var stackId = describe(stackName).stackId();
        cloudFormation.deleteStack(request -> request.stackName(stackName));
        var stack = awaitSettled(stackId);
        if (stack.stackStatus() != StackStatus.DELETE_COMPLETE) {
            throw new AssertionError("Stack " + stackName + " ended " + stack.stackStatus() + failures(stackId));
        }
    }

    private Map<String, String> create(
            String stackName, Map<String, String> parameters, Consumer<CreateStackRequest.Builder> template) {
        cloudFormation.createStack(request -> template.accept(request.stackName(stackName)
                .capabilities(Capability.CAPABILITY_IAM)
                .parameters(parameters.entrySet().stream()
                        .map(entry -> Parameter.builder()
                                .parameterKey(entry.getKey())
                                .parameterValue(entry.getValue())
                                .build())
                        .toList())));
        var stack = awaitSettled(stackName);
        if (stack.stackStatus() != StackStatus.CREATE_COMPLETE) {
            throw new AssertionError("Stack " + stackName + " ended " + stack.stackStatus() + ": "
                    + stack.stackStatusReason() + failures(stackName));
        }
        return stack.outputs().stream()
                .collect(Collectors.toMap(Output::outputKey, Output::outputValue, (a, b) -> b, LinkedHashMap::new));
    }

    private Stack awaitSettled(String stackNameOrId) {
        return await("stack " + stackNameOrId + " to settle")
                .atMost(TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> describe(stackNameOrId),
                        stack -> !stack.stackStatusAsString().endsWith("IN_PROGRESS"));
    }

    private Stack describe(String stackNameOrId) {
        return cloudFormation
                .describeStacks(request -> request.stackName(stackNameOrId))
                .stacks()
                .getFirst();
    }

    private String failures(String stackNameOrId) {
        return cloudFormation.describeStackEvents(request -> request.stackName(stackNameOrId)).stackEvents().stream()
                .filter(event -> event.resourceStatus() == ResourceStatus.CREATE_FAILED
                        || event.resourceStatus() == ResourceStatus.DELETE_FAILED)
                .map(event -> "\n  " + event.logicalResourceId() + ": " + event.resourceStatusReason())
                .collect(Collectors.joining());
    }
}
