package io.cloudconnector.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A dead-letter queue nobody watches loses events quietly: every queue that some queue's redrive policy names has a
 * CloudWatch alarm on {@code ApproximateNumberOfMessagesVisible > 0}, whose actions go to the optional
 * {@code DeadLetterAlarmTopicArn}.
 */
class DeadLetterAlarmTests {

    private record Dlq(Template template, String logicalId) {}

    /** Every queue of every template that a redrive policy names as its dead-letter target. */
    private static List<Dlq> deadLetterQueues() {
        return Template.ALL.stream()
                .map(Template::load)
                .flatMap(template -> template.resourcesOfType("AWS::SQS::Queue").values().stream()
                        .map(queue -> Template.map(queue, "Properties").get("RedrivePolicy"))
                        .filter(redrive -> redrive != null)
                        .map(redrive -> Template.asMap(redrive).get("deadLetterTargetArn"))
                        .map(target -> new Dlq(
                                template,
                                String.valueOf(
                                        Template.list(Template.asMap(target).get("Fn::GetAtt"))
                                                .getFirst()))))
                .distinct()
                .toList();
    }

    private static List<Map<String, Object>> alarmsOn(Dlq dlq) {
        return dlq.template().resourcesOfType("AWS::CloudWatch::Alarm").values().stream()
                .map(alarm -> Template.map(alarm, "Properties"))
                .filter(properties -> Template.list(properties.get("Dimensions")).stream()
                        .map(Template::asMap)
                        .anyMatch(dimension -> "QueueName".equals(dimension.get("Name"))
                                && Map.of("Fn::GetAtt", List.of(dlq.logicalId(), "QueueName"))
                                        .equals(dimension.get("Value"))))
                .toList();
    }

    @Test
    void theTemplatesHaveDeadLetterQueues() {
        assertThat(deadLetterQueues())
                .extracting(Dlq::logicalId)
                .contains("CatalogInboxDlq", "ProvisionerInboxDlq", "InventoryInboxDlq");
    }

    @Test
    void everyDeadLetterQueueHasAnAlarmOnAnyVisibleMessage() {
        assertThat(deadLetterQueues())
                .allSatisfy(dlq -> assertThat(alarmsOn(dlq))
                        .as(
                                "alarms on %s in %s",
                                dlq.logicalId(), dlq.template().name())
                        .singleElement()
                        .satisfies(alarm -> {
                            assertThat(alarm)
                                    .containsEntry("Namespace", "AWS/SQS")
                                    .containsEntry("MetricName", "ApproximateNumberOfMessagesVisible")
                                    .containsEntry("ComparisonOperator", "GreaterThanThreshold")
                                    .containsEntry("Threshold", 0)
                                    .containsEntry("TreatMissingData", "notBreaching");
                            assertThat(Template.list(alarm.get("Dimensions"))).hasSize(1);
                            var notify = List.of(
                                    "HasDeadLetterAlarmTopic",
                                    List.of(Map.of("Ref", "DeadLetterAlarmTopicArn")),
                                    Map.of("Ref", "AWS::NoValue"));
                            assertThat(alarm.get("AlarmActions")).isEqualTo(Map.of("Fn::If", notify));
                            assertThat(alarm.get("OKActions")).isEqualTo(Map.of("Fn::If", notify));
                        }));
    }

    @Test
    void theAlarmTopicIsOptional() {
        var connector = Template.load(Template.CONNECTOR);
        assertThat(Template.map(connector.parameters(), "DeadLetterAlarmTopicArn"))
                .containsEntry("Default", "");
        assertThat(Stream.of(Template.map(connector.root(), "Conditions").get("HasDeadLetterAlarmTopic")))
                .singleElement()
                .isNotNull();
    }
}
