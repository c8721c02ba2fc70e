package io.cloudconnector.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One statement of an IAM policy in a template, with its actions and resources as text: intrinsic
 * functions are rendered the way {@code Fn::Sub} writes them ({@code ${Bucket.Arn}}, {@code ${ConnectorId}}),
 * which is what the least-privilege checks compare against.
 */
record PolicyStatement(
        String owner,
        String sid,
        String effect,
        List<String> actions,
        List<String> resources,
        Map<String, Object> condition) {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9]+)(?:\\.[A-Za-z]+)?}");

    boolean allows() {
        return effect.equals("Allow");
    }

    boolean denies() {
        return effect.equals("Deny");
    }

    /** Whether this statement covers {@code action}, honouring IAM's wildcards and case-insensitivity. */
    boolean covers(String action) {
        return actions.stream().anyMatch(pattern -> matches(pattern, action));
    }

    /** Whether this statement applies to every resource. */
    boolean onEveryResource() {
        return resources.contains("*");
    }

    /** The logical ids of template resources this statement's resources refer to. */
    List<String> referencedResources() {
        var ids = new ArrayList<String>();
        for (var resource : resources) {
            Matcher matcher = REFERENCE.matcher(resource);
            while (matcher.find()) {
                ids.add(matcher.group(1));
            }
        }
        return ids;
    }

    static boolean matches(String pattern, String action) {
        var regex = ("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q");
        return Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(action).matches();
    }

    /** Every statement of a policy document; {@code owner} names where it came from, for messages. */
    static List<PolicyStatement> of(String owner, Object policyDocument) {
        return Template.list(Template.asMap(policyDocument).get("Statement")).stream()
                .map(Template::asMap)
                .map(statement -> new PolicyStatement(
                        owner,
                        String.valueOf(statement.getOrDefault("Sid", "")),
                        (String) statement.get("Effect"),
                        Template.list(statement.get("Action")).stream()
                                .map(String::valueOf)
                                .toList(),
                        Template.list(statement.get("Resource")).stream()
                                .map(PolicyStatement::text)
                                .toList(),
                        statement.get("Condition") == null ? Map.of() : Template.asMap(statement.get("Condition"))))
                .toList();
    }

    /** The inline policies of a role resource, and the template's own managed policies it attaches. */
    static List<PolicyStatement> ofRole(Template template, String roleId) {
        var properties = template.properties(roleId);
        var inline = Template.list(properties.get("Policies")).stream()
                .map(Template::asMap)
                .flatMap(policy -> of(roleId + "/" + policy.get("PolicyName"), policy.get("PolicyDocument")).stream());
        var attached = Template.list(properties.get("ManagedPolicyArns")).stream()
                .filter(arn -> arn instanceof Map<?, ?> function && function.get("Ref") instanceof String)
                .map(arn -> (String) Template.asMap(arn).get("Ref"))
                .flatMap(id -> of(roleId + "/" + id, template.properties(id).get("PolicyDocument")).stream());
        return Stream.concat(inline, attached).toList();
    }

    /** Every statement of every role and managed policy in the template. */
    static List<PolicyStatement> ofIdentities(Template template) {
        var roles = template.resourcesOfType("AWS::IAM::Role").keySet().stream()
                .flatMap(id -> ofRole(template, id).stream());
        var managed = template.resourcesOfType("AWS::IAM::ManagedPolicy").keySet().stream()
                .flatMap(id -> of(id, template.properties(id).get("PolicyDocument")).stream());
        return Stream.concat(roles, managed).toList();
    }

    /** An intrinsic function or literal as {@code Fn::Sub} text. */
    static String text(Object value) {
        if (value instanceof String text) {
            return text;
        }
        var function = Template.asMap(value);
        if (function.get("Ref") instanceof String ref) {
            return "${" + ref + "}";
        }
        if (function.get("Fn::GetAtt") instanceof List<?> getAtt) {
            return "${" + getAtt.get(0) + "." + getAtt.get(1) + "}";
        }
        if (function.containsKey("Fn::Sub")) {
            var sub = function.get("Fn::Sub");
            return sub instanceof List<?> withVariables ? (String) withVariables.get(0) : (String) sub;
        }
        if (function.containsKey("Fn::If")) {
            return "!If"
                    + Template.list(function.get("Fn::If")).stream()
                            .map(PolicyStatement::textOrCondition)
                            .toList();
        }
        throw new IllegalArgumentException("Cannot render " + value);
    }

    private static String textOrCondition(Object value) {
        return value instanceof String condition ? condition : text(value);
    }

    @Override
    public String toString() {
        return owner + " " + sid + " " + effect + " " + actions + " on " + resources;
    }
}
