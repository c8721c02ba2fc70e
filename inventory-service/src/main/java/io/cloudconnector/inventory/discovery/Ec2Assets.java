package io.cloudconnector.inventory.discovery;

import io.cloudconnector.common.aws.AwsClientFactory;
import io.cloudconnector.inventory.asset.AssetFacts;
import io.cloudconnector.inventory.asset.AssetStates;
import io.cloudconnector.inventory.asset.AssetType;
import io.cloudconnector.inventory.asset.Attachment;
import io.cloudconnector.inventory.asset.Observation.Described;
import io.cloudconnector.inventory.config.InventoryProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;

/**
 * The region's instances and volumes as EC2 describes them, turned into {@link Described} observations. Each
 * page is dated when its call was made, minus {@code inventory.describe-lag}: an answer can only be as
 * fresh as the moment it was asked for, and EC2's describe calls are eventually consistent on top of that.
 */
@Component
class Ec2Assets {

    private final Ec2Client ec2;
    private final AccountId account;
    private final String region;
    private final int pageSize;
    private final Duration describeLag;
    private final Clock clock;

    Ec2Assets(Ec2Client ec2, AccountId account, AwsClientFactory aws, InventoryProperties properties, Clock clock) {
        this.ec2 = ec2;
        this.account = account;
        this.region = aws.region().id();
        this.pageSize = properties.pageSize();
        this.describeLag = properties.describeLag();
        this.clock = clock;
    }

    /** The connector's region. */
    String region() {
        return region;
    }

    /** The asset id of an instance or volume of this account and region. */
    String assetId(AssetType type, String resourceId) {
        return type.assetId(account.value(), region, resourceId);
    }

    /** Every instance (terminated ones included, as {@code deleted}), page by page. */
    List<Described> instances() {
        return describe(
                ec2.describeInstancesPaginator(b -> b.maxResults(pageSize)).iterator(),
                page -> page.reservations().stream()
                        .flatMap(r -> r.instances().stream())
                        .map(this::facts)
                        .toList());
    }

    /** Every volume, page by page. */
    List<Described> volumes() {
        return describe(
                ec2.describeVolumesPaginator(b -> b.maxResults(pageSize)).iterator(),
                page -> page.volumes().stream().map(this::facts).toList());
    }

    /** One instance, if EC2 knows it (yet, or still). */
    Optional<Described> instance(String instanceId) {
        Instant at = observationTime();
        try {
            return ec2.describeInstances(b -> b.instanceIds(instanceId)).reservations().stream()
                    .flatMap(r -> r.instances().stream())
                    .findFirst()
                    .map(i -> new Described(facts(i), at));
        } catch (Ec2Exception e) {
            return notFound(e, "InvalidInstanceID");
        }
    }

    /** One volume, if EC2 knows it (yet, or still). */
    Optional<Described> volume(String volumeId) {
        Instant at = observationTime();
        try {
            return ec2.describeVolumes(b -> b.volumeIds(volumeId)).volumes().stream()
                    .findFirst()
                    .map(v -> new Described(facts(v), at));
        } catch (Ec2Exception e) {
            return notFound(e, "InvalidVolume");
        }
    }

    private <P> List<Described> describe(Iterator<P> pages, Function<P, List<AssetFacts>> facts) {
        List<Described> described = new ArrayList<>();
        while (true) {
            Instant at = observationTime();
            if (!pages.hasNext()) {
                return described;
            }
            facts.apply(pages.next()).forEach(f -> described.add(new Described(f, at)));
        }
    }

    private Instant observationTime() {
        return clock.instant().minus(describeLag);
    }

    AssetFacts facts(Instance instance) {
        List<Attachment> attachments = instance.blockDeviceMappings().stream()
                .filter(m -> m.ebs() != null && m.ebs().volumeId() != null)
                .map(m -> new Attachment(
                        assetId(AssetType.EBS, m.ebs().volumeId()), m.deviceName() == null ? "" : m.deviceName()))
                .toList();
        return new AssetFacts(
                assetId(AssetType.EC2, instance.instanceId()),
                AssetType.EC2,
                AssetStates.ofInstance(instance.state().nameAsString()),
                instance.placement() == null ? null : instance.placement().availabilityZone(),
                null,
                instance.instanceTypeAsString(),
                tags(instance.tags()),
                attachments);
    }

    AssetFacts facts(Volume volume) {
        List<Attachment> attachments = volume.attachments().stream()
                .filter(a -> a.instanceId() != null)
                .map(a -> new Attachment(assetId(AssetType.EC2, a.instanceId()), a.device() == null ? "" : a.device()))
                .toList();
        return new AssetFacts(
                assetId(AssetType.EBS, volume.volumeId()),
                AssetType.EBS,
                AssetStates.ofVolume(volume.stateAsString()),
                volume.availabilityZone(),
                volume.size() == null ? null : volume.size().longValue(),
                null,
                tags(volume.tags()),
                attachments);
    }

    private static Map<String, String> tags(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, t -> t.value() == null ? "" : t.value(), (a, b) -> b));
    }

    private static Optional<Described> notFound(Ec2Exception e, String codePrefix) {
        var code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        if (code != null && code.startsWith(codePrefix)) {
            return Optional.empty();
        }
        throw e;
    }
}
