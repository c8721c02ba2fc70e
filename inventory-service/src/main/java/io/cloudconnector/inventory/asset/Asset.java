package io.cloudconnector.inventory.asset;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An EC2 instance or EBS volume as the API shows it; {@code id} is {@code aws:ec2:…} or {@code aws:ebs:…}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Asset(
        String id,
        AssetType type,
        String state,
        @Nullable String availabilityZone,
        @Nullable Long sizeGiB,
        Map<String, String> tags,
        Instant firstSeen,
        Instant lastSeen) {

    public Asset {
        tags = Map.copyOf(tags);
    }
}
