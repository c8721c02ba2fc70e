package io.cloudconnector.inventory.asset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;

/**
 * An EC2 instance or EBS volume as the API shows it: its facts, when it was seen, and its protection, as one
 * flat JSON object ({@code id} is {@code aws:ec2:…} or {@code aws:ebs:…}). {@code protected} is worked out
 * when the asset is read: it turns false by itself once the newest recovery point is older than the window.
 * {@code protection} is the status under the protection policies ({@link ProtectionRules}), also worked out when read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Asset(
        @JsonUnwrapped AssetFacts facts,
        Instant firstSeen,
        Instant lastSeen,
        @JsonProperty("protected") boolean isProtected,
        @JsonUnwrapped ProtectionSummary recoveryPoints,
        AssetProtection protection) {

    static Asset of(
            AssetRecord record, ProtectionSummary recoveryPoints, AssetProtection protection, Instant protectedSince) {
        Instant lastRecoveryPointAt = recoveryPoints.lastRecoveryPointAt();
        boolean isProtected = lastRecoveryPointAt != null && !lastRecoveryPointAt.isBefore(protectedSince);
        return new Asset(
                record.facts(), record.firstSeen(), record.lastSeen(), isProtected, recoveryPoints, protection);
    }
}
