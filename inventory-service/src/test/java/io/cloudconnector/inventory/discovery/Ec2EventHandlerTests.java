package io.cloudconnector.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.inventory.asset.AssetFacts;
import io.cloudconnector.inventory.asset.AssetType;
import io.cloudconnector.inventory.asset.AssetWriter;
import io.cloudconnector.inventory.asset.ChangeOutbox;
import io.cloudconnector.inventory.asset.Observation.Described;
import io.cloudconnector.inventory.asset.Observation.StateReported;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** How EC2 and EBS events, as AWS documents them, become observations. */
class Ec2EventHandlerTests {

    private static final String INSTANCE = "aws:ec2:123456789012:us-east-1:i-0abc";
    private static final String VOLUME = "aws:ebs:123456789012:us-east-1:vol-0abc";
    private static final Instant TIME = Instant.parse("2026-11-26T10:00:05Z");

    private final Ec2Assets ec2 = mock(Ec2Assets.class);
    private final AssetWriter writer = mock(AssetWriter.class);
    private final ChangeOutbox outbox = mock(ChangeOutbox.class);
    private final Ec2EventHandler handler = new Ec2EventHandler(ec2, writer, outbox);

    @BeforeEach
    void account() {
        given(ec2.region()).willReturn("us-east-1");
        given(ec2.assetId(AssetType.EC2, "i-0abc")).willReturn(INSTANCE);
        given(ec2.assetId(AssetType.EBS, "vol-0abc")).willReturn(VOLUME);
        given(writer.apply(any(), isNull())).willReturn(Optional.empty());
    }

    @Test
    void takesOnlyTheTwoDocumentedEc2DetailTypes() {
        assertThat(handler.accepts("aws.ec2", "EC2 Instance State-change Notification"))
                .isTrue();
        assertThat(handler.accepts("aws.ec2", "EBS Volume Notification")).isTrue();
        assertThat(handler.accepts("aws.ec2", "EBS Snapshot Notification")).isFalse();
        assertThat(handler.accepts("aws.ecs", "EBS Volume Notification")).isFalse();
    }

    @Test
    void aStateChangeOfAKnownInstanceIsAStateReportAtTheEventsTime() {
        given(writer.find(INSTANCE)).willReturn(Optional.of(mock(io.cloudconnector.inventory.asset.AssetRecord.class)));

        handler.handle(instanceEvent("terminated", "us-east-1"));

        verify(writer).apply(new StateReported(INSTANCE, "deleted", TIME), null);
        verify(ec2, never()).instance(any());
    }

    @Test
    void anUnknownInstanceIsDescribedBeforeItsStateIsApplied() {
        var described = new Described(
                new AssetFacts(INSTANCE, AssetType.EC2, "pending", "us-east-1a", null, "t3.micro", Map.of(), List.of()),
                TIME);
        given(writer.find(INSTANCE)).willReturn(Optional.empty());
        given(ec2.instance("i-0abc")).willReturn(Optional.of(described));

        handler.handle(instanceEvent("running", "us-east-1"));

        var order = inOrder(writer);
        order.verify(writer).apply(described, null);
        order.verify(writer).apply(new StateReported(INSTANCE, "running", TIME), null);
    }

    @Test
    void aDeletedVolumeIsDeletedAtTheEventsTimeAndOtherVolumeEventsDescribeIt() {
        handler.handle(volumeEvent("deleteVolume", "deleted"));
        verify(writer).apply(new StateReported(VOLUME, "deleted", TIME), null);

        given(ec2.volume("vol-0abc")).willReturn(Optional.empty());
        handler.handle(volumeEvent("attachVolume", "available"));
        handler.handle(volumeEvent("modifyVolume", "completed"));
        verify(ec2, org.mockito.Mockito.times(2)).volume("vol-0abc");
    }

    @Test
    void aFailedCreationAndEventsOfAnotherRegionOrWithoutTimeChangeNothing() {
        handler.handle(volumeEvent("createVolume", "failed"));
        handler.handle(instanceEvent("running", "eu-west-1"));
        handler.handle(json("{\"detail-type\":\"EC2 Instance State-change Notification\",\"region\":\"us-east-1\","
                + "\"time\":\"yesterday\",\"detail\":{\"instance-id\":\"i-0abc\",\"state\":\"running\"}}"));
        handler.handle(json("{\"detail-type\":\"EC2 Instance State-change Notification\",\"region\":\"us-east-1\","
                + "\"time\":\"2026-11-26T10:00:05Z\",\"detail\":{}}"));

        verifyNoInteractions(writer);
        verify(ec2, never()).volume(any());
    }

    private static JsonNode instanceEvent(String state, String region) {
        return json("{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"EC2 Instance State-change Notification\","
                + "\"source\":\"aws.ec2\",\"account\":\"123456789012\",\"time\":\"2026-11-26T10:00:05Z\",\"region\":\""
                + region
                + "\",\"resources\":[\"arn:aws:ec2:" + region + ":123456789012:instance/i-0abc\"],"
                + "\"detail\":{\"instance-id\":\"i-0abc\",\"state\":\"" + state + "\"}}");
    }

    private static JsonNode volumeEvent(String event, String result) {
        return json(
                "{\"version\":\"0\",\"id\":\"e-2\",\"detail-type\":\"EBS Volume Notification\",\"source\":\"aws.ec2\","
                        + "\"account\":\"123456789012\",\"time\":\"2026-11-26T10:00:05Z\",\"region\":\"us-east-1\","
                        + "\"resources\":[\"arn:aws:ec2:us-east-1:123456789012:volume/vol-0abc\"],"
                        + "\"detail\":{\"result\":\"" + result + "\",\"cause\":\"\",\"event\":\"" + event
                        + "\",\"request-id\":\"r\"}}");
    }

    private static JsonNode json(String text) {
        return EventCodec.standardMapper().readTree(text);
    }
}
