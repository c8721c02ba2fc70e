package io.cloudconnector.provisioner.server;

import io.cloudconnector.common.messaging.AwsEventHandler;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * AWS events about the compute of ScaleZ servers, from the default bus's rules into the inbox:
 *
 * <ul>
 *   <li>{@code EC2 Spot Instance Interruption Warning} (two minutes' notice for a spot instance);</li>
 *   <li>{@code ECS Task State Change} with stop code {@code SpotInterruption} (or a stopped reason naming spot):
 *       Fargate Spot reclaiming the task; any other stop just marks the server stopped.</li>
 * </ul>
 *
 * Events about compute that is not a ScaleZ server are ignored.
 */
@Component
class SpotInterruptions implements AwsEventHandler {

    static final String SPOT_INTERRUPTION = "spot-interruption";
    private static final Logger log = LoggerFactory.getLogger(SpotInterruptions.class);

    private final Provisioner provisioner;

    SpotInterruptions(Provisioner provisioner) {
        this.provisioner = provisioner;
    }

    @Override
    public boolean accepts(String source, String detailType) {
        return ("aws.ec2".equals(source) && "EC2 Spot Instance Interruption Warning".equals(detailType))
                || ("aws.ecs".equals(source) && "ECS Task State Change".equals(detailType));
    }

    @Override
    public void handle(JsonNode event) {
        var detail = event.path("detail");
        if ("aws.ec2".equals(event.path("source").asString(""))) {
            var instance = detail.path("instance-id").asString("");
            if (instance.startsWith("i-")) {
                provisioner.interrupted(instance, SPOT_INTERRUPTION);
            } else {
                log.warn("Dropping a spot interruption warning without instance-id: {}", detail);
            }
            return;
        }
        var task = detail.path("taskArn").asString("");
        if (task.isEmpty()) {
            log.warn("Dropping an ECS task state change without taskArn");
            return;
        }
        var stopCode = detail.path("stopCode").asString("");
        var reason = detail.path("stoppedReason").asString("");
        if ("SpotInterruption".equals(stopCode)
                || reason.toLowerCase(Locale.ROOT).contains("spot")) {
            provisioner.interrupted(task, SPOT_INTERRUPTION);
        } else if ("STOPPED".equals(detail.path("lastStatus").asString(""))) {
            provisioner.computeStopped(task, reason.isEmpty() ? "task stopped (" + stopCode + ")" : reason);
        }
    }
}
