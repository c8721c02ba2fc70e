package io.cloudconnector.common.aws;

import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What to deploy: a stack name, its template (the body, or an S3 URL for templates above
 * CloudFormation's 51,200-byte inline limit), parameters, and optionally the role CloudFormation acts as.
 */
public record StackSpec(
        String stackName,
        @Nullable String templateBody,
        @Nullable String templateUrl,
        Map<String, String> parameters,
        @Nullable String roleArn) {

    /** The largest template CloudFormation accepts inline. */
    public static final int MAX_INLINE_TEMPLATE_BYTES = 51_200;

    public StackSpec {
        if ((templateBody == null) == (templateUrl == null)) {
            throw new IllegalArgumentException("A stack needs exactly one of a template body and a template URL");
        }
        parameters = Map.copyOf(parameters);
    }

    /** A stack from an inline template. */
    public static StackSpec inline(String stackName, String templateBody, Map<String, String> parameters) {
        return new StackSpec(stackName, templateBody, null, parameters, null);
    }

    /** The same stack, deployed by CloudFormation acting as {@code roleArn}. */
    public StackSpec withRole(@Nullable String roleArn) {
        return new StackSpec(stackName, templateBody, templateUrl, parameters, roleArn);
    }

    /** The same stack, its template read from {@code url} instead of inline. */
    public StackSpec withTemplateUrl(String url) {
        return new StackSpec(stackName, null, url, parameters, roleArn);
    }

    /** The role, if any. */
    public Optional<String> role() {
        return Optional.ofNullable(roleArn);
    }
}
