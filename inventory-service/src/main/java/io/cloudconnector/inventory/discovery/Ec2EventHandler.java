package io.cloudconnector.inventory.discovery;

import io.cloudconnector.common.messaging.AwsEventHandler;
import io.cloudconnector.inventory.asset.AssetStates;
import io.cloudconnector.inventory.asset.AssetType;
import io.cloudconnector.inventory.asset.AssetWriter;
import io.cloudconnector.inventory.asset.ChangeOutbox;
import io.cloudconnector.inventory.asset.Observation.StateReported;
import io.cloudconnector.inventory.asset.PendingChange;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Updates single assets from the EC2 events the default-bus rule routes to the inbox, at once rather than at
 * the next resync:
 *
 * <ul>
 *   <li>{@code EC2 Instance State-change Notification}: the new state, stamped with the event's time, so a
 *       late or repeated event changes nothing; an instance the inventory does not know yet is described first.</li>
 *   <li>{@code EBS Volume Notification}: {@code deleteVolume} marks the volume deleted at the event's time;
 *       the others (create, attach, detach, modify) say something changed, so the volume is described again.</li>
 * </ul>
 *
 * An event that is not what AWS documents is logged and dropped: retrying cannot fix it, and the resync
 * repairs whatever it was about.
 */
@Component
class Ec2EventHandler implements AwsEventHandler {

    static final String SOURCE = "aws.ec2";
    static final String INSTANCE_STATE_CHANGE = "EC2 Instance State-change Notification";
    static final String VOLUME_NOTIFICATION = "EBS Volume Notification";
    private static final Logger log = LoggerFactory.getLogger(Ec2EventHandler.class);

    private final Ec2Assets ec2;
    private final AssetWriter writer;
    private final ChangeOutbox outbox;

    Ec2EventHandler(Ec2Assets ec2, AssetWriter writer, ChangeOutbox outbox) {
        this.ec2 = ec2;
        this.writer = writer;
        this.outbox = outbox;
    }

    @Override
    public boolean accepts(String source, String detailType) {
        return SOURCE.equals(source)
                && (INSTANCE_STATE_CHANGE.equals(detailType) || VOLUME_NOTIFICATION.equals(detailType));
    }

    @Override
    public void handle(JsonNode event) {
        String detailType = event.path("detail-type").asString("");
        String region = event.path("region").asString("");
        Optional<Instant> time = time(event);
        if (time.isEmpty() || !ec2.region().equals(region)) {
            log.warn(
                    "Dropping {} {}: no valid time, or region '{}' is not this connector's",
                    detailType,
                    event.path("id").asString(""),
                    region);
            return;
        }
        List<PendingChange> changes = new ArrayList<>();
        if (INSTANCE_STATE_CHANGE.equals(detailType)) {
            instanceStateChanged(event.path("detail"), time.get(), changes);
        } else {
            volumeNotified(event, time.get(), changes);
        }
        outbox.publish(changes);
    }

    private void instanceStateChanged(JsonNode detail, Instant time, List<PendingChange> changes) {
        String instanceId = detail.path("instance-id").asString("");
        String state = detail.path("state").asString("");
        if (!instanceId.startsWith("i-") || state.isEmpty()) {
            log.warn("Dropping an instance state change without instance-id or state: {}", detail);
            return;
        }
        String assetId = ec2.assetId(AssetType.EC2, instanceId);
        if (writer.find(assetId).isEmpty()) {
            ec2.instance(instanceId).flatMap(d -> writer.apply(d, null)).ifPresent(changes::add);
        }
        writer.apply(new StateReported(assetId, AssetStates.ofInstance(state), time), null)
                .ifPresent(changes::add);
    }

    private void volumeNotified(JsonNode event, Instant time, List<PendingChange> changes) {
        JsonNode detail = event.path("detail");
        String volumeId = volumeId(event);
        String action = detail.path("event").asString("");
        String result = detail.path("result").asString("");
        if (volumeId.isEmpty()) {
            log.warn("Dropping an EBS volume notification without a volume ARN: {}", event);
            return;
        }
        if ("deleteVolume".equals(action) && AssetStates.DELETED.equals(result)) {
            writer.apply(new StateReported(ec2.assetId(AssetType.EBS, volumeId), AssetStates.DELETED, time), null)
                    .ifPresent(changes::add);
        } else if (!("createVolume".equals(action) && "failed".equals(result))) {
            ec2.volume(volumeId).flatMap(d -> writer.apply(d, null)).ifPresent(changes::add);
        }
    }

    /** The volume id from {@code resources}: {@code arn:aws:ec2:<region>:<account>:volume/vol-…}. */
    private static String volumeId(JsonNode event) {
        for (JsonNode resource : event.path("resources")) {
            String arn = resource.asString("");
            int slash = arn.lastIndexOf(":volume/");
            if (slash >= 0) {
                return arn.substring(slash + ":volume/".length());
            }
        }
        return "";
    }

    private static Optional<Instant> time(JsonNode event) {
        try {
            return Optional.of(Instant.parse(event.path("time").asString("")));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
