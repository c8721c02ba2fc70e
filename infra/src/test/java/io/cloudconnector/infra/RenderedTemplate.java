package io.cloudconnector.infra;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A template with its parameters substituted as CloudFormation would: conditions evaluated, {@code Ref},
 * {@code Fn::Sub}, {@code Fn::GetAtt}, {@code Fn::If}, {@code Fn::Join}, {@code Fn::Select} and {@code Fn::Split}
 * resolved, {@code AWS::NoValue} removed. Physical names follow the templates' own names where they set one, and
 * CloudFormation's {@code <stack>-<LogicalId>} otherwise (roles); a KMS key's id is {@code <stack>-<LogicalId>}.
 * Enough for IAM policies, key and bucket policies; not a general CloudFormation engine.
 */
final class RenderedTemplate {

    static final String PARTITION = "aws";
    private static final Object NO_VALUE = new Object();
    private static final Pattern SUB = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Template template;
    private final String stack;
    private final String account;
    private final String region;
    private final Map<String, Object> parameters;
    private final Map<String, Boolean> conditions = new HashMap<>();

    RenderedTemplate(Template template, String stack, String account, String region, Map<String, String> values) {
        this.template = template;
        this.stack = stack;
        this.account = account;
        this.region = region;
        this.parameters = new LinkedHashMap<>();
        template.parameters().forEach((name, definition) -> {
            var value = values.containsKey(name)
                    ? values.get(name)
                    : Template.asMap(definition).get("Default");
            if (value == null) {
                throw new IllegalArgumentException(template.name() + ": no value for parameter " + name);
            }
            var type = String.valueOf(Template.asMap(definition).get("Type"));
            parameters.put(
                    name,
                    type.startsWith("List<") || type.equals("CommaDelimitedList")
                            ? List.of(String.valueOf(value).split(","))
                            : String.valueOf(value));
        });
    }

    String account() {
        return account;
    }

    String region() {
        return region;
    }

    Template template() {
        return template;
    }

    /** Whether the resource exists with these parameters (its Condition holds). */
    boolean exists(String logicalId) {
        var condition = template.resource(logicalId).get("Condition");
        return condition == null || condition((String) condition);
    }

    boolean condition(String name) {
        return conditions.computeIfAbsent(
                name, n -> bool(Template.map(template.root(), "Conditions").get(n)));
    }

    /** A resource's property, rendered (null when absent or AWS::NoValue). */
    Object property(String logicalId, String property) {
        var value = render(template.properties(logicalId).get(property));
        return value == NO_VALUE ? null : value;
    }

    /** {@code Fn::GetAtt LogicalId.Arn}. */
    String arn(String logicalId) {
        return attribute(logicalId, "Arn");
    }

    Object render(Object expression) {
        if (expression == null) {
            return null;
        }
        if (expression instanceof List<?> items) {
            var out = new ArrayList<>();
            for (var item : items) {
                var value = render(item);
                if (value != NO_VALUE) {
                    out.add(value);
                }
            }
            return out;
        }
        if (!(expression instanceof Map<?, ?> map)) {
            return expression instanceof String || expression instanceof Boolean ? expression : expression.toString();
        }
        if (map.size() == 1) {
            var entry = map.entrySet().iterator().next();
            var key = String.valueOf(entry.getKey());
            var args = entry.getValue();
            switch (key) {
                case "Ref" -> {
                    return ref((String) args);
                }
                case "Fn::Sub" -> {
                    return sub(args);
                }
                case "Fn::GetAtt" -> {
                    var list = Template.list(args);
                    return attribute((String) list.get(0), (String) list.get(1));
                }
                case "Fn::If" -> {
                    var list = Template.list(args);
                    return render(condition((String) list.get(0)) ? list.get(1) : list.get(2));
                }
                case "Fn::Join" -> {
                    var list = Template.list(args);
                    return String.join(
                            (String) list.get(0),
                            Template.list(render(list.get(1))).stream()
                                    .map(String::valueOf)
                                    .toList());
                }
                case "Fn::Select" -> {
                    var list = Template.list(args);
                    return Template.list(render(list.get(1)))
                            .get(Integer.parseInt(String.valueOf(render(list.get(0)))));
                }
                case "Fn::Split" -> {
                    var list = Template.list(args);
                    return List.of(String.valueOf(render(list.get(1))).split(Pattern.quote((String) list.get(0)), -1));
                }
                case "Condition" -> {
                    return condition((String) args);
                }
                default -> {
                    if (key.startsWith("Fn::")) {
                        throw new IllegalArgumentException(template.name() + ": " + key + " not supported here");
                    }
                }
            }
        }
        var out = new LinkedHashMap<String, Object>();
        map.forEach((k, v) -> {
            var value = render(v);
            if (value != NO_VALUE) {
                out.put(String.valueOf(k), value);
            }
        });
        return out;
    }

    private boolean bool(Object expression) {
        var function = Template.asMap(expression);
        var entry = function.entrySet().iterator().next();
        var args = Template.list(entry.getValue());
        return switch (entry.getKey()) {
            case "Fn::Equals" -> Objects.equals(render(args.get(0)), render(args.get(1)));
            case "Fn::Not" -> !bool(args.get(0));
            case "Fn::And" -> args.stream().allMatch(this::bool);
            case "Fn::Or" -> args.stream().anyMatch(this::bool);
            case "Condition" -> condition((String) entry.getValue());
            default -> throw new IllegalArgumentException("Not a condition function: " + entry.getKey());
        };
    }

    private Object ref(String name) {
        return switch (name) {
            case "AWS::NoValue" -> NO_VALUE;
            case "AWS::AccountId" -> account;
            case "AWS::Region" -> region;
            case "AWS::Partition" -> PARTITION;
            case "AWS::StackName" -> stack;
            case "AWS::URLSuffix" -> "amazonaws.com";
            default -> {
                if (parameters.containsKey(name)) {
                    yield parameters.get(name);
                }
                yield physicalId(name);
            }
        };
    }

    private String sub(Object args) {
        String text;
        Map<String, Object> variables = Map.of();
        if (args instanceof List<?> list) {
            text = (String) list.get(0);
            variables = Template.asMap(list.get(1));
        } else {
            text = (String) args;
        }
        var local = variables;
        Matcher matcher = SUB.matcher(text);
        var out = new StringBuilder();
        while (matcher.find()) {
            var name = matcher.group(1);
            Object value;
            if (local.containsKey(name)) {
                value = render(local.get(name));
            } else if (name.contains(".")) {
                value = attribute(name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1));
            } else {
                value = ref(name);
            }
            if (value instanceof List<?> list) {
                value = String.join(",", list.stream().map(String::valueOf).toList());
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        matcher.appendTail(out);
        return out.toString().replace("${!", "${");
    }

    private String type(String logicalId) {
        return (String) template.resource(logicalId).get("Type");
    }

    private String name(String logicalId, String property) {
        var value = property == null ? null : property(logicalId, property);
        return value != null ? String.valueOf(value) : stack + "-" + logicalId;
    }

    /** What {@code Ref} returns for a resource. */
    String physicalId(String logicalId) {
        return switch (type(logicalId)) {
            case "AWS::DynamoDB::Table" -> name(logicalId, "TableName");
            case "AWS::S3::Bucket" -> name(logicalId, "BucketName");
            case "AWS::SQS::Queue" ->
                "https://sqs." + region + ".amazonaws.com/" + account + "/" + name(logicalId, "QueueName");
            case "AWS::Events::EventBus" -> name(logicalId, "Name");
            case "AWS::Scheduler::ScheduleGroup" -> name(logicalId, "Name");
            case "AWS::Logs::LogGroup" -> name(logicalId, "LogGroupName");
            case "AWS::ECS::Cluster" -> name(logicalId, "ClusterName");
            case "AWS::IAM::Role", "AWS::IAM::InstanceProfile" -> name(logicalId, "RoleName");
            case "AWS::IAM::ManagedPolicy" ->
                "arn:" + PARTITION + ":iam::" + account + ":policy" + path(logicalId)
                        + name(logicalId, "ManagedPolicyName");
            default -> stack + "-" + logicalId;
        };
    }

    private String path(String logicalId) {
        var path = property(logicalId, "Path");
        return path == null ? "/" : String.valueOf(path);
    }

    String attribute(String logicalId, String attribute) {
        var id = physicalId(logicalId);
        var prefix = "arn:" + PARTITION + ":";
        return switch (type(logicalId) + "." + attribute) {
            case "AWS::DynamoDB::Table.Arn" -> prefix + "dynamodb:" + region + ":" + account + ":table/" + id;
            case "AWS::S3::Bucket.Arn" -> prefix + "s3:::" + id;
            case "AWS::SQS::Queue.Arn" ->
                prefix + "sqs:" + region + ":" + account + ":" + id.substring(id.lastIndexOf('/') + 1);
            case "AWS::SQS::Queue.QueueName" -> id.substring(id.lastIndexOf('/') + 1);
            case "AWS::Events::EventBus.Arn" -> prefix + "events:" + region + ":" + account + ":event-bus/" + id;
            case "AWS::Events::EventBus.Name" -> id;
            case "AWS::KMS::Key.Arn" -> prefix + "kms:" + region + ":" + account + ":key/" + id;
            case "AWS::KMS::Key.KeyId" -> id;
            case "AWS::IAM::Role.Arn" -> prefix + "iam::" + account + ":role" + path(logicalId) + id;
            case "AWS::Logs::LogGroup.Arn" -> prefix + "logs:" + region + ":" + account + ":log-group:" + id + ":*";
            case "AWS::ECS::Cluster.Arn" -> prefix + "ecs:" + region + ":" + account + ":cluster/" + id;
            case "AWS::Scheduler::ScheduleGroup.Arn" ->
                prefix + "scheduler:" + region + ":" + account + ":schedule-group/" + id;
            default -> prefix + "cloudformation:" + region + ":" + account + ":" + logicalId + "/" + attribute;
        };
    }
}
