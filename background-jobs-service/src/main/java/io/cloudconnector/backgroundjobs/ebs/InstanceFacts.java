package io.cloudconnector.backgroundjobs.ebs;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An EC2 instance as EC2 describes it, with its attached volumes: what a restore needs to launch an equivalent.
 *
 * @param volumes attached EBS volumes in device-name order
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
        List<AttachedVolume> volumes) {

    public InstanceFacts {
        securityGroupIds = List.copyOf(securityGroupIds);
        tags = Map.copyOf(tags);
        networkInterfaces = List.copyOf(networkInterfaces);
        volumes = List.copyOf(volumes);
    }

    /** A network interface of the instance. */
    public record NetworkInterface(
            String networkInterfaceId,
            int deviceIndex,
            @Nullable String subnetId,
            @Nullable String privateIpAddress,
            List<String> securityGroupIds) {

        public NetworkInterface {
            securityGroupIds = List.copyOf(securityGroupIds);
        }
    }

    /** A volume in the instance's block device mapping. */
    public record AttachedVolume(String deviceName, boolean deleteOnTermination, VolumeFacts volume) {}
}
