package io.cloudconnector.infra;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What CloudFormation checks before it creates anything, evaluated here because the emulator checks
 * none of it: parameter constraints (AllowedPattern, AllowedValues, lengths, numeric ranges, existence of
 * AWS-typed values) and the template's {@code Rules}. Each failure is the message a user would see.
 *
 * <p>Only the rule functions the templates use are implemented; any other one fails loudly rather than
 * passing silently.
 */
final class Preflight {

    private final Template template;

    Preflight(Template template) {
        this.template = template;
    }

    /**
     * The failures CloudFormation would report for a stack in {@code region} with {@code given}
     * parameters, in an account whose subnets and their VPCs are {@code subnetVpcs}.
     */
    List<String> failures(String region, Map<String, String> given, Map<String, String> subnetVpcs) {
        var account = new Account(region, subnetVpcs);
        var failures = new ArrayList<String>();
        var values = new LinkedHashMap<String, Object>();
        var types = new LinkedHashMap<String, String>();
        template.parameters().forEach((name, declaration) -> {
            var parameter = Template.asMap(declaration);
            var raw = given.containsKey(name) ? given.get(name) : (String) stringOrNull(parameter.get("Default"));
            if (raw == null) {
                failures.add("Parameters: [" + name + "] must have values");
                return;
            }
            failures.addAll(constraintViolations(name, parameter, raw, account));
            var type = (String) parameter.get("Type");
            types.put(name, type);
            values.put(name, isList(type) ? Arrays.asList(raw.split(",", -1)) : raw);
        });
        given.keySet().stream()
                .filter(name -> !template.parameters().containsKey(name))
                .forEach(name -> failures.add("Parameters: [" + name + "] do not exist in the template"));
        if (!failures.isEmpty()) {
            return failures; // CloudFormation stops at parameter validation before evaluating rules
        }
        var evaluator = new Evaluator(values, types, account);
        template.rules().forEach((ruleName, ruleValue) -> {
            var rule = Template.asMap(ruleValue);
            if (rule.containsKey("RuleCondition") && !evaluator.bool(rule.get("RuleCondition"))) {
                return;
            }
            for (var assertion : Template.list(rule.get("Assertions"))) {
                var assertMap = Template.asMap(assertion);
                if (!evaluator.bool(assertMap.get("Assert"))) {
                    failures.add(ruleName + ": " + assertMap.get("AssertDescription"));
                }
            }
        });
        return failures;
    }

    private record Account(String region, Map<String, String> subnetVpcs) {}

    private static boolean isList(String type) {
        return type.equals("CommaDelimitedList") || type.startsWith("List<");
    }

    private static Object stringOrNull(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static List<String> constraintViolations(
            String name, Map<String, Object> parameter, String value, Account account) {
        var violations = new ArrayList<String>();
        var type = (String) parameter.get("Type");
        if (parameter.get("AllowedPattern") instanceof String pattern && !value.matches(pattern)) {
            violations.add("Parameter '" + name + "' must match pattern " + pattern);
        }
        if (parameter.get("AllowedValues") instanceof List<?> allowed
                && allowed.stream().map(String::valueOf).noneMatch(value::equals)) {
            violations.add("Parameter '" + name + "' must be one of AllowedValues");
        }
        if (parameter.get("MinLength") instanceof Number min && value.length() < min.intValue()) {
            violations.add("Parameter '" + name + "' must contain at least " + min + " characters");
        }
        if (parameter.get("MaxLength") instanceof Number max && value.length() > max.intValue()) {
            violations.add("Parameter '" + name + "' must contain at most " + max + " characters");
        }
        if (type.equals("Number")) {
            violations.addAll(numberViolations(name, parameter, value));
        }
        if (type.equals("AWS::EC2::VPC::Id") && !account.subnetVpcs().containsValue(value)) {
            violations.add("Parameter value " + value + " for parameter name " + name + " does not exist");
        }
        if (type.equals("List<AWS::EC2::Subnet::Id>")) {
            Arrays.stream(value.split(",", -1))
                    .filter(subnet -> !account.subnetVpcs().containsKey(subnet))
                    .forEach(subnet -> violations.add(
                            "Parameter value " + subnet + " for parameter name " + name + " does not exist"));
        }
        return violations;
    }

    private static List<String> numberViolations(String name, Map<String, Object> parameter, String value) {
        BigDecimal number;
        try {
            number = new BigDecimal(value);
        } catch (NumberFormatException e) {
            return List.of("Parameter '" + name + "' must be a number");
        }
        var violations = new ArrayList<String>();
        if (parameter.get("MinValue") instanceof Number min && number.compareTo(new BigDecimal(min.toString())) < 0) {
            violations.add("Parameter '" + name + "' must be a number not less than " + min);
        }
        if (parameter.get("MaxValue") instanceof Number max && number.compareTo(new BigDecimal(max.toString())) > 0) {
            violations.add("Parameter '" + name + "' must be a number not greater than " + max);
        }
        return violations;
    }

    /** The rule-specific intrinsic functions, over parameter values that are strings or string lists. */
    private record Evaluator(Map<String, Object> parameters, Map<String, String> types, Account account) {

        boolean bool(Object expression) {
            if (value(expression) instanceof Boolean result) {
                return result;
            }
            throw new IllegalArgumentException("Not a condition: " + expression);
        }

        Object value(Object expression) {
            if (expression instanceof String || expression instanceof Boolean) {
                return expression;
            }
            if (expression instanceof List<?> items) {
                return items.stream().map(this::value).toList();
            }
            var function = Template.asMap(expression);
            if (function.size() != 1) {
                throw new IllegalArgumentException("Not a function: " + expression);
            }
            var entry = function.entrySet().iterator().next();
            var args = Template.list(entry.getValue());
            return switch (entry.getKey()) {
                case "Ref" -> ref((String) entry.getValue());
                case "Fn::Equals" -> Objects.equals(value(args.get(0)), value(args.get(1)));
                case "Fn::Not" -> !bool(args.get(0));
                case "Fn::And" -> args.stream().allMatch(this::bool);
                case "Fn::Or" -> args.stream().anyMatch(this::bool);
                case "Fn::Contains" -> strings(args.get(0)).contains((String) value(args.get(1)));
                case "Fn::EachMemberEquals" -> strings(args.get(0)).stream().allMatch(value(args.get(1))::equals);
                case "Fn::EachMemberIn" -> strings(args.get(1)).containsAll(strings(args.get(0)));
                case "Fn::ValueOfAll" -> valueOfAll((String) args.get(0), (String) args.get(1));
                default -> throw new IllegalArgumentException("Rule function not supported here: " + entry.getKey());
            };
        }

        private Object ref(String name) {
            if (name.equals("AWS::Region")) {
                return account.region();
            }
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("Rules may only refer to parameters, not to " + name);
            }
            return parameters.get(name);
        }

        private List<String> strings(Object expression) {
            return Template.list(value(expression)).stream()
                    .map(String.class::cast)
                    .toList();
        }

        /** Looks up an attribute of every value of every parameter of an AWS-specific type. */
        private List<String> valueOfAll(String parameterType, String attribute) {
            if (!parameterType.equals("AWS::EC2::Subnet::Id") || !attribute.equals("VpcId")) {
                throw new IllegalArgumentException(
                        "Fn::ValueOfAll not supported here for " + parameterType + "." + attribute);
            }
            return parameters.keySet().stream()
                    .filter(name -> types.get(name).equals(parameterType)
                            || types.get(name).equals("List<" + parameterType + ">"))
                    .flatMap(name -> Template.list(parameters.get(name)).stream())
                    .map(String.class::cast)
                    .filter(account.subnetVpcs()::containsKey)
                    .map(account.subnetVpcs()::get)
                    .toList();
        }
    }
}
