package io.cloudconnector.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployed API listens on HTTPS: a full-mode stack needs {@code CertificateArn}, plain HTTP only with an
 * explicit {@code AllowPlainHttp=true}, and never in production. Every combination of the three parameters is
 * either refused before anything is created ({@link Preflight}, as CloudFormation evaluates the Rules) or resolves
 * the listener and its ingress to what the table below says.
 */
class ApiTransportTests {

    static final String CERTIFICATE =
            "arn:aws:acm:us-east-1:123456789012:certificate/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0";

    private static final Template CONNECTOR = Template.load(Template.CONNECTOR);
    private final Preflight preflight = new Preflight(CONNECTOR);

    /** certificate?, AllowPlainHttp, Production -> the listener, or the rule that refuses the stack. */
    static Stream<Arguments> combinations() {
        return Stream.of(
                Arguments.of(true, "false", "true", "HTTPS 443", null),
                Arguments.of(true, "false", "false", "HTTPS 443", null),
                Arguments.of(true, "true", "false", "HTTPS 443", null),
                Arguments.of(true, "true", "true", null, "NoPlainHttpInProduction"),
                Arguments.of(false, "false", "true", null, "ApiNeedsHttps"),
                Arguments.of(false, "false", "false", null, "ApiNeedsHttps"),
                Arguments.of(false, "true", "true", null, "NoPlainHttpInProduction"),
                Arguments.of(false, "true", "false", "HTTP 80", null));
    }

    @ParameterizedTest(name = "certificate {0}, AllowPlainHttp={1}, Production={2}: {3}{4}")
    @MethodSource("combinations")
    void theListenerIsHttpsUnlessPlainHttpIsExplicitlyAllowedOutsideProduction(
            boolean certificate, String allowPlainHttp, String production, String listener, String refusedBy) {
        var parameters = TemplateRulesTests.Connector.fullMode();
        parameters.remove("CertificateArn");
        if (certificate) {
            parameters.put("CertificateArn", CERTIFICATE);
        }
        parameters.put("AllowPlainHttp", allowPlainHttp);
        parameters.put("Production", production);

        var failures = preflight.failures("us-east-1", parameters, Map.of());

        if (refusedBy != null) {
            assertThat(failures).singleElement().asString().startsWith(refusedBy + ":");
            return;
        }
        assertThat(failures).isEmpty();
        var resolved = new Resolver(parameters);
        var properties = resolved.properties("ApiListener");
        assertThat(properties.get("Protocol") + " " + properties.get("Port")).isEqualTo(listener);
        var ingress = resolved.properties("AlbIngress");
        assertThat(ingress.get("FromPort")).isEqualTo(properties.get("Port"));
        assertThat(ingress.get("ToPort")).isEqualTo(properties.get("Port"));
        if (certificate) {
            assertThat(properties)
                    .containsEntry("Certificates", List.of(Map.of("CertificateArn", CERTIFICATE)))
                    .containsEntry("SslPolicy", "ELBSecurityPolicy-TLS13-1-2-2021-06");
        } else {
            assertThat(properties).doesNotContainKeys("Certificates", "SslPolicy");
        }
    }

    @Test
    void productionIsTheDefaultAndPlainHttpIsNot() {
        assertThat(Template.asMap(CONNECTOR.parameters().get("Production"))).containsEntry("Default", "true");
        assertThat(Template.asMap(CONNECTOR.parameters().get("AllowPlainHttp"))).containsEntry("Default", "false");
        var parameters = TemplateRulesTests.Connector.fullMode();
        parameters.remove("CertificateArn");

        assertThat(preflight.failures("us-east-1", parameters, Map.of()))
                .singleElement()
                .asString()
                .startsWith("ApiNeedsHttps: CertificateArn is required when VpcId is set");
    }

    @Test
    void localModeHasNoListenerAndNeedsNoCertificate() {
        assertThat(preflight.failures("us-east-1", Map.of("ConnectorId", "cc-dev"), Map.of()))
                .isEmpty();
        assertThat(CONNECTOR.resource("ApiListener")).containsEntry("Condition", "Compute");
        // Even a local stack may not claim to be production and allow plain HTTP.
        assertThat(preflight.failures("us-east-1", Map.of("ConnectorId", "cc-dev", "AllowPlainHttp", "true"), Map.of()))
                .singleElement()
                .asString()
                .startsWith("NoPlainHttpInProduction:");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "arn:aws:iam::123456789012:server-certificate/api",
                "certificate",
                "arn:aws:acm:us-east-1:12:certificate/x"
            })
    void aCertificateArnMustBeAnAcmCertificate(String arn) {
        var parameters = TemplateRulesTests.Connector.fullMode();
        parameters.put("CertificateArn", arn);

        assertThat(preflight.failures("us-east-1", parameters, Map.of()))
                .singleElement()
                .asString()
                .startsWith("Parameter 'CertificateArn' must match pattern");
    }

    @ParameterizedTest
    @ValueSource(strings = {"AllowPlainHttp", "Production"})
    void theSwitchesTakeOnlyTrueOrFalse(String parameter) {
        var parameters = TemplateRulesTests.Connector.fullMode();
        parameters.put(parameter, "yes");

        assertThat(preflight.failures("us-east-1", parameters, Map.of()))
                .singleElement()
                .isEqualTo("Parameter '" + parameter + "' must be one of AllowedValues");
    }

    /** Resolves the template's conditions and {@code Fn::If} for given parameters (defaults for the rest). */
    private static final class Resolver {

        private final Map<String, String> parameters = new HashMap<>();

        Resolver(Map<String, String> given) {
            CONNECTOR.parameters().forEach((name, declaration) -> {
                var fallback = Template.asMap(declaration).get("Default");
                parameters.put(name, given.getOrDefault(name, fallback == null ? null : String.valueOf(fallback)));
            });
        }

        Map<String, Object> properties(String logicalId) {
            var resource = CONNECTOR.resource(logicalId);
            var condition = (String) resource.get("Condition");
            assertThat(condition == null || condition(condition))
                    .as("%s is created", logicalId)
                    .isTrue();
            return Template.asMap(resolve(CONNECTOR.properties(logicalId)));
        }

        private boolean condition(String name) {
            return bool(CONNECTOR.conditions().get(name));
        }

        private boolean bool(Object expression) {
            var function = Template.asMap(expression);
            var entry = function.entrySet().iterator().next();
            return switch (entry.getKey()) {
                case "Condition" -> condition((String) entry.getValue());
                case "Fn::Not" -> !bool(Template.list(entry.getValue()).getFirst());
                case "Fn::And" -> Template.list(entry.getValue()).stream().allMatch(this::bool);
                case "Fn::Or" -> Template.list(entry.getValue()).stream().anyMatch(this::bool);
                case "Fn::Equals" -> {
                    var args = Template.list(entry.getValue());
                    yield String.valueOf(resolve(args.get(0))).equals(String.valueOf(resolve(args.get(1))));
                }
                default -> throw new IllegalArgumentException("Not a condition function here: " + expression);
            };
        }

        /** The value with Ref to parameters, Fn::If and AWS::NoValue resolved; null for AWS::NoValue. */
        private Object resolve(Object value) {
            if (value instanceof List<?> items) {
                return items.stream().map(this::resolve).toList();
            }
            if (!(value instanceof Map<?, ?>)) {
                return value;
            }
            var map = Template.asMap(value);
            if (map.size() == 1 && map.containsKey("Fn::If")) {
                var args = Template.list(map.get("Fn::If"));
                return resolve(condition((String) args.get(0)) ? args.get(1) : args.get(2));
            }
            if (map.size() == 1 && map.containsKey("Ref")) {
                var name = (String) map.get("Ref");
                if (name.equals("AWS::NoValue")) {
                    return null;
                }
                if (parameters.containsKey(name)) {
                    return parameters.get(name);
                }
                return map; // a resource reference stays as it is
            }
            var out = new java.util.LinkedHashMap<String, Object>();
            map.forEach((key, item) -> {
                var resolved = resolve(item);
                if (resolved != null) {
                    out.put(key, resolved);
                }
            });
            return out;
        }
    }
}
