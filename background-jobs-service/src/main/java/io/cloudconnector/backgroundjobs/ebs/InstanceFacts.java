package io.cloudconnector.backgroundjobs.ebs;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An EC2 instance as EC2 describes it, with its attached volumes: what a restore needs to launch an equivalent.
 * Facts added after the first release are nullable: a point recorded before them restores with EC2's defaults.
 *
 * @param volumes attached EBS volumes in device-name order
 * @param iamInstanceProfileArn the instance profile it ran with, if any
 * @param userData its user data, base64 as EC2 hands it out (no user data: null)
 * @param bootMode {@code legacy-bios}, {@code uefi} or {@code uefi-preferred} (the instance's, else its image's)
 * @param tpmSupport {@code v2.0} when NitroTPM was on
 * @param sriovNetSupport {@code simple} when SR-IOV (Intel 82599 VF) networking was on
 * @param tenancy {@code default}, {@code dedicated} or {@code host}
 * @param privateIpAddress the primary private IPv4 address
 * @param metadataOptions the instance metadata service's options
 */
public record InstanceFacts(
        String instanceId,
        String instanceType,
        String imageId,
        @Nullable String subnetId,
        @Nullable String vpcId,
        String availabilityZone,
        List<String> securityGroupIds,
        Map<String, String> tags,
        String rootDeviceName,
        @Nullable String architecture,
        @Nullable Boolean enaSupport,
        @Nullable String keyName,
        List<NetworkInterface> networkInterfaces,
        List<AttachedVolume> volumes,
        @Nullable String iamInstanceProfileArn,
        @Nullable String userData,
        @Nullable String bootMode,
        @Nullable String tpmSupport,
        @Nullable String sriovNetSupport,
        @Nullable String tenancy,
        @Nullable String privateIpAddress,
        @Nullable MetadataOptions metadataOptions) {

    public InstanceFacts {
        securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        networkInterfaces = networkInterfaces == null ? List.of() : List.copyOf(networkInterfaces);
        volumes = List.copyOf(volumes);
    }

    /** The same facts without the user data (which may hold secrets): what the catalog's labels show. */
    public InstanceFacts withoutUserData() {
        return new InstanceFacts(
                instanceId,
                instanceType,
                imageId,
                subnetId,
                vpcId,
                availabilityZone,
                securityGroupIds,
                tags,
                rootDeviceName,
                architecture,
                enaSupport,
                keyName,
                networkInterfaces,
                volumes,
                iamInstanceProfileArn,
                null,
                bootMode,
                tpmSupport,
                sriovNetSupport,
                tenancy,
                privateIpAddress,
                metadataOptions);
    }

    /**
     * A network interface of the instance.
     *
     * @param publicIp whether it had a public IPv4 address (null: not recorded)
     * @param deleteOnTermination whether it went with the instance (null: not recorded)
     * @param description its description (null: none or not recorded)
     */
    public record NetworkInterface(
            String networkInterfaceId,
            int deviceIndex,
            @Nullable String subnetId,
            @Nullable String privateIpAddress,
            List<String> securityGroupIds,
            @Nullable Boolean publicIp,
            @Nullable Boolean deleteOnTermination,
            @Nullable String description) {

        public NetworkInterface {
            securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
        }
    }

    /** The instance metadata service's options, as EC2 describes them (each null when not described). */
    public record MetadataOptions(
            @Nullable String httpTokens,
            @Nullable Integer httpPutResponseHopLimit,
            @Nullable String httpEndpoint,
            @Nullable String httpProtocolIpv6,
            @Nullable String instanceMetadataTags) {}

    /** A volume in the instance's block device mapping. */
    public record AttachedVolume(String deviceName, boolean deleteOnTermination, VolumeFacts volume) {}
}
