package io.cloudconnector.common.aws;

import io.cloudconnector.common.resilience.Retries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Capability;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetStatus;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackEvent;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * Creates or updates a CloudFormation stack from a template and waits until it settles, returning its
 * outputs. Used by the local stack ({@code ./connector up}) and to deploy vault stacks.
 */
public final class StackDeployer {

    private static final Set<StackStatus> DONE = Set.of(
            StackStatus.CREATE_COMPLETE,
            StackStatus.UPDATE_COMPLETE,
            StackStatus.UPDATE_ROLLBACK_COMPLETE,
            StackStatus.ROLLBACK_COMPLETE,
            StackStatus.CREATE_FAILED,
            StackStatus.ROLLBACK_FAILED,
            StackStatus.UPDATE_ROLLBACK_FAILED,
            StackStatus.DELETE_COMPLETE,
            StackStatus.DELETE_FAILED);
    private static final Set<StackStatus> SUCCEEDED = Set.of(StackStatus.CREATE_COMPLETE, StackStatus.UPDATE_COMPLETE);

    private final CloudFormationClient cloudFormation;
    private final Clock clock;
    private final Duration pollInterval;

    public StackDeployer(CloudFormationClient cloudFormation, Clock clock, Duration pollInterval) {
        this.cloudFormation = cloudFormation;
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    /** Creates the stack, or updates it if it exists; waits up to {@code timeout}; returns its outputs. */
    public Map<String, String> deploy(
            String stackName, Path template, Map<String, String> parameters, Duration timeout) {
        String body;
        try {
            body = Files.readString(template);
        } catch (java.io.IOException e) {
            throw new StackDeploymentException("Cannot read template " + template + ": " + e.getMessage(), e);
        }
        return deploy(stackName, body, parameters, timeout);
    }

    /** As {@link #deploy(String, Path, Map, Duration)} with the template's text. */
    public Map<String, String> deploy(
            String stackName, String templateBody, Map<String, String> parameters, Duration timeout) {
        return deploy(StackSpec.inline(stackName, templateBody, parameters), timeout);
    }

    /**
     * Creates or updates the stack {@code spec} describes and waits up to {@code timeout}; returns its
     * outputs, or throws naming each failed resource and its reason.
     */
    public Map<String, String> deploy(StackSpec spec, Duration timeout) {
        String stackName = spec.stackName();
        Optional<Stack> existing = live(stackName);
        if (existing.isPresent() && existing.get().stackStatus() == StackStatus.ROLLBACK_COMPLETE) {
            // A stack whose creation rolled back cannot be updated; it has to be replaced.
            delete(stackName, timeout);
            existing = Optional.empty();
        }
        if (existing.isEmpty()) {
            try {
                cloudFormation.createStack(b -> b.stackName(stackName)
                        .templateBody(spec.templateBody())
                        .templateURL(spec.templateUrl())
                        .parameters(parameters(spec))
                        .roleARN(spec.roleArn())
                        .capabilities(Capability.CAPABILITY_NAMED_IAM));
            } catch (CloudFormationException e) {
                throw new StackDeploymentException("Cannot create stack " + stackName + ": " + reason(e), e);
            }
        } else {
            try {
                cloudFormation.updateStack(b -> b.stackName(stackName)
                        .templateBody(spec.templateBody())
                        .templateURL(spec.templateUrl())
                        .parameters(parameters(spec))
                        .roleARN(spec.roleArn())
                        .capabilities(Capability.CAPABILITY_NAMED_IAM));
            } catch (CloudFormationException e) {
                if (!String.valueOf(e.getMessage()).contains("No updates are to be performed")) {
                    throw new StackDeploymentException("Cannot update stack " + stackName + ": " + reason(e), e);
                }
            }
        }
        Stack stack = await(stackName, timeout);
        if (!SUCCEEDED.contains(stack.stackStatus())) {
            throw new StackDeploymentException(
                    "Stack " + stackName + " ended " + stack.stackStatus() + ": " + failureReasons(stackName));
        }
        return outputs(stack);
    }

    /**
     * What deploying {@code spec} would change, from a change set that is deleted afterwards: one line
     * per resource, e.g. {@code Add CatalogTable (AWS::DynamoDB::Table)}. Nothing is deployed.
     */
    public List<String> preview(StackSpec spec, Duration timeout) {
        String stackName = spec.stackName();
        boolean exists = live(stackName)
                .filter(s -> s.stackStatus() != StackStatus.REVIEW_IN_PROGRESS)
                .isPresent();
        String changeSetName = "preview-" + clock.millis();
        cloudFormation.createChangeSet(b -> b.stackName(stackName)
                .changeSetName(changeSetName)
                .changeSetType(exists ? ChangeSetType.UPDATE : ChangeSetType.CREATE)
                .templateBody(spec.templateBody())
                .templateURL(spec.templateUrl())
                .parameters(parameters(spec))
                .roleARN(spec.roleArn())
                .capabilities(Capability.CAPABILITY_NAMED_IAM));
        try {
            List<List<String>> changes = new ArrayList<>(1);
            waitFor(stackName, timeout, () -> {
                var described = cloudFormation.describeChangeSet(
                        b -> b.stackName(stackName).changeSetName(changeSetName));
                if (described.status() == ChangeSetStatus.CREATE_COMPLETE) {
                    changes.add(described.changes().stream()
                            .map(c -> c.resourceChange())
                            .map(r -> r.actionAsString() + " " + r.logicalResourceId() + " (" + r.resourceType() + ")"
                                    + (r.replacementAsString() == null || "False".equals(r.replacementAsString())
                                            ? ""
                                            : " replacement: " + r.replacementAsString()))
                            .toList());
                    return true;
                }
                if (described.status() == ChangeSetStatus.FAILED) {
                    String reason = String.valueOf(described.statusReason());
                    if (reason.contains("didn't contain changes") || reason.contains("No updates")) {
                        changes.add(List.of());
                        return true;
                    }
                    throw new StackDeploymentException("Change set for " + stackName + " failed: " + reason);
                }
                return false;
            });
            return changes.getFirst();
        } finally {
            cloudFormation.deleteChangeSet(b -> b.stackName(stackName).changeSetName(changeSetName));
            if (!exists) {
                // A CREATE change set leaves an empty stack in REVIEW_IN_PROGRESS behind.
                live(stackName)
                        .filter(s -> s.stackStatus() == StackStatus.REVIEW_IN_PROGRESS)
                        .ifPresent(s -> cloudFormation.deleteStack(b -> b.stackName(stackName)));
            }
        }
    }

    /** Deletes the stack if it exists and waits until it is gone. */
    public void delete(String stackName, Duration timeout) {
        if (describe(stackName).isEmpty()) {
            return;
        }
        cloudFormation.deleteStack(b -> b.stackName(stackName));
        waitFor(
                stackName,
                timeout,
                () -> describe(stackName)
                        .filter(s -> s.stackStatus() != StackStatus.DELETE_COMPLETE)
                        .isEmpty());
    }

    /** The outputs of an existing stack. */
    public Map<String, String> outputs(String stackName) {
        return outputs(describe(stackName)
                .orElseThrow(() -> new StackDeploymentException("Stack " + stackName + " does not exist")));
    }

    /** The service's error code and message; the SDK's own message may carry neither. */
    private static String reason(CloudFormationException e) {
        var details = e.awsErrorDetails();
        if (details == null || details.errorCode() == null) {
            return "HTTP " + e.statusCode() + " without an error the SDK could read";
        }
        String message = details.errorMessage();
        return details.errorCode() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private Optional<Stack> live(String stackName) {
        return describe(stackName).filter(s -> s.stackStatus() != StackStatus.DELETE_COMPLETE);
    }

    private static List<Parameter> parameters(StackSpec spec) {
        return spec.parameters().entrySet().stream()
                .map(e -> Parameter.builder()
                        .parameterKey(e.getKey())
                        .parameterValue(e.getValue())
                        .build())
                .toList();
    }

    private Optional<Stack> describe(String stackName) {
        try {
            return cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks().stream()
                    .findFirst();
        } catch (CloudFormationException e) {
            if (String.valueOf(e.getMessage()).contains("does not exist")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Stack await(String stackName, Duration timeout) {
        List<Stack> settled = new ArrayList<>(1);
        waitFor(stackName, timeout, () -> {
            Stack stack = describe(stackName)
                    .orElseThrow(() -> new StackDeploymentException("Stack " + stackName + " vanished"));
            if (DONE.contains(stack.stackStatus())) {
                settled.add(stack);
                return true;
            }
            return false;
        });
        return settled.getFirst();
    }

    /**
     * Polls until {@code done}, from every poll interval to every four (with jitter; {@link Retries#await}). Not the
     * SDK's CloudFormation waiters: they end a rollback with an exception that carries no stack, and one wait here
     * covers create, update and delete alike.
     */
    private void waitFor(String stackName, Duration timeout, java.util.function.BooleanSupplier done) {
        try {
            Retries.await("Stack " + stackName, timeout, pollInterval, pollInterval.multipliedBy(4), clock, done);
        } catch (Retries.WaitTimeoutException e) {
            throw new StackDeploymentException("Stack " + stackName + " did not settle in time", e);
        }
    }

    private String failureReasons(String stackName) {
        List<StackEvent> events =
                cloudFormation.describeStackEvents(b -> b.stackName(stackName)).stackEvents();
        String reasons = events.stream()
                .filter(e -> e.resourceStatusReason() != null
                        && e.resourceStatusAsString().endsWith("FAILED"))
                .map(e -> e.logicalResourceId() + ": " + e.resourceStatusReason())
                .collect(Collectors.joining("; "));
        return reasons.isEmpty() ? "no reason given" : reasons;
    }

    private static Map<String, String> outputs(Stack stack) {
        Map<String, String> outputs = new LinkedHashMap<>();
        stack.outputs().forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
        return outputs;
    }
}
