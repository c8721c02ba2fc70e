package io.cloudconnector.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.EventProducers;
import io.cloudconnector.common.event.EventProducers.Producer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The templates follow common's table of event producers ({@link EventProducers}): every inbox rule matches each
 * type only from the sources that may produce it, and every role may put on the bus only its own source and the
 * types its producer publishes. With both, no connector role can put an event a consumer would take from its
 * type's owner (the inboxes drop what a rule lets through anyway: common's {@code ForgedEventsTests}).
 */
class EventOwnershipTests {

    private static final Template CONNECTOR = Template.load(Template.CONNECTOR);
    private static final Template VAULT = Template.load(Template.VAULT);
    private static final Template ACCOUNT = Template.load(Template.ACCOUNT);

    @ParameterizedTest
    @FieldSource("io.cloudconnector.infra.ConnectorService#ALL")
    void anInboxRuleMatchesEachTypeOnlyFromTheSourcesThatMayProduceIt(ConnectorService service) {
        var matched = sourcesByType(inboxRulePattern(service));

        assertThat(matched).as("the rule of %s matches some types", service).isNotEmpty();
        matched.forEach((type, sources) -> assertThat(sources)
                .as("sources %s's rule takes %s from", service, type)
                .isNotEmpty()
                .containsExactlyInAnyOrderElementsOf(EventProducers.sourcesOf(type)));
    }

    @Test
    void theTypesThatNeverTravelOnTheBusAreInNoRule() {
        var routed = ConnectorService.ALL.stream()
                .flatMap(service -> sourcesByType(inboxRulePattern(service)).keySet().stream())
                .toList();

        assertThat(routed).doesNotContainAnyElementsOf(EventProducers.DIRECT);
        assertThat(routed).allSatisfy(type -> assertThat(EventProducers.types()).contains(type));
    }

    @Test
    void theInboxRulesAreTheOnlyRulesOnTheBus() {
        var onTheBus = CONNECTOR.resourcesOfType("AWS::Events::Rule").entrySet().stream()
                .filter(rule -> Template.map(rule.getValue(), "Properties").containsKey("EventBusName"))
                .map(Map.Entry::getKey)
                .toList();
        var onTheDefaultBus = CONNECTOR.resourcesOfType("AWS::Events::Rule").entrySet().stream()
                .filter(rule -> !onTheBus.contains(rule.getKey()))
                .map(rule -> pattern(Template.map(rule.getValue(), "Properties")))
                .toList();

        assertThat(onTheBus)
                .containsExactlyInAnyOrderElementsOf(ConnectorService.ALL.stream()
                        .map(service -> service.logicalPrefix() + "InboxRule")
                        .toList());
        assertThat(onTheDefaultBus)
                .as("rules of the default bus take events of AWS itself only")
                .allSatisfy(pattern -> assertThat(Template.list(pattern.get("source")))
                        .isNotEmpty()
                        .allSatisfy(source -> assertThat(source).asString().startsWith("aws.")));
    }

    @ParameterizedTest
    @EnumSource(Producer.class)
    void aRolePutsOnTheBusOnlyItsOwnSourceAndTheTypesItProduces(Producer producer) {
        var template = CONNECTOR.resources().containsKey(producer.role()) ? CONNECTOR : VAULT;
        var publishing = PolicyStatement.ofRole(template, producer.role()).stream()
                .filter(statement -> statement.allows() && statement.covers("events:PutEvents"))
                .toList();

        assertThat(publishing).singleElement().satisfies(statement -> {
            assertThat(statement.actions()).containsExactly("events:PutEvents");
            assertThat(statement.condition()).containsOnlyKeys("StringEquals");
            var equals = Template.asMap(statement.condition().get("StringEquals"));
            assertThat(equals).containsOnlyKeys("events:source", "events:detail-type");
            assertThat(equals.get("events:source")).isEqualTo(producer.source());
            assertThat(Template.list(equals.get("events:detail-type")))
                    .as("the types %s may put", producer.role())
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(EventProducers.typesOf(producer));
        });
    }

    @Test
    void noOtherRoleMayPutEvents() {
        var producerRoles = Arrays.stream(Producer.values()).map(Producer::role).toList();
        var publishers = Stream.of(ACCOUNT, CONNECTOR, VAULT)
                .flatMap(template -> template.resourcesOfType("AWS::IAM::Role").keySet().stream()
                        .filter(role -> PolicyStatement.ofRole(template, role).stream()
                                .anyMatch(statement -> statement.allows() && statement.covers("events:PutEvents"))))
                .toList();

        assertThat(publishers).containsExactlyInAnyOrderElementsOf(producerRoles);
    }

    @Test
    void aSourceWithSeveralRolesIsTheUnionOfTheirTypes() {
        // The worker and scanner publish under their service's source: the inbox cannot tell them apart, so the
        // service's role and the rule take the union, and the Batch jobs' roles are the narrower limit.
        for (var source : EventProducers.sources()) {
            var union = new TreeSet<String>();
            Arrays.stream(Producer.values())
                    .filter(producer -> producer.source().equals(source))
                    .forEach(producer -> union.addAll(EventProducers.typesOf(producer)));
            assertThat(EventProducers.typesOfSource(source)).isEqualTo(union);
        }
    }

    private static Map<String, Object> inboxRulePattern(ConnectorService service) {
        return pattern(CONNECTOR.properties(service.logicalPrefix() + "InboxRule"));
    }

    private static Map<String, Object> pattern(Map<String, Object> ruleProperties) {
        return Template.asMap(ruleProperties.get("EventPattern"));
    }

    /**
     * For each detail-type a pattern names, the sources it matches it from. Only the shapes the inbox rules use are
     * understood: {@code source} and {@code detail-type} lists, at the top or in each branch of a top-level
     * {@code $or}; anything else fails, so that a rule cannot widen itself in a form this check would miss.
     */
    private static Map<String, Set<String>> sourcesByType(Map<String, Object> pattern) {
        List<Map<String, Object>> branches = pattern.containsKey("$or")
                ? Template.list(pattern.get("$or")).stream()
                        .map(Template::asMap)
                        .toList()
                : List.of(pattern);
        if (pattern.containsKey("$or")) {
            assertThat(pattern).containsOnlyKeys("$or");
        }
        var matched = new TreeMap<String, Set<String>>();
        for (var branch : branches) {
            assertThat(branch).containsOnlyKeys("source", "detail-type");
            var sources = Template.list(branch.get("source"));
            var types = Template.list(branch.get("detail-type"));
            assertThat(sources)
                    .isNotEmpty()
                    .allSatisfy(source -> assertThat(source).isInstanceOf(String.class));
            assertThat(types).isNotEmpty().allSatisfy(type -> assertThat(type).isInstanceOf(String.class));
            for (var type : types) {
                matched.computeIfAbsent((String) type, t -> new HashSet<>())
                        .addAll(sources.stream().map(String::valueOf).toList());
            }
        }
        return matched;
    }
}
