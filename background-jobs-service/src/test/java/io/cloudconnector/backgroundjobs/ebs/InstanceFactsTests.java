package io.cloudconnector.backgroundjobs.ebs;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.EventCodec;
import org.junit.jupiter.api.Test;

/** Instance facts recorded before a restore applied more of them still read, with the new facts unknown. */
class InstanceFactsTests {

    /** What a backup recorded before the instance profile, user data, boot settings and metadata options. */
    private static final String RECORDED_BEFORE = """
            {"instanceId":"i-0abc","instanceType":"t3.small","imageId":"ami-12c6146b","subnetId":"subnet-1",
             "vpcId":"vpc-1","availabilityZone":"us-east-1a","securityGroupIds":["sg-1"],"tags":{"Name":"web-1"},
             "rootDeviceName":"/dev/sda1","architecture":"x86_64","enaSupport":true,"keyName":"ops",
             "networkInterfaces":[{"networkInterfaceId":"eni-1","deviceIndex":0,"subnetId":"subnet-1",
               "privateIpAddress":"172.31.0.10","securityGroupIds":["sg-1"]}],
             "volumes":[{"deviceName":"/dev/sda1","deleteOnTermination":true,"volume":{"volumeId":"vol-1",
               "sizeGiB":8,"volumeType":"gp3","iops":3000,"throughput":125,"encrypted":false,"kmsKeyId":null,
               "availabilityZone":"us-east-1a","sourceSnapshotId":null,"tags":{}}}]}
            """;

    @Test
    void aPointRecordedBeforeTheNewFactsReadsWithThemUnknown() {
        var facts = EventCodec.standardMapper().readValue(RECORDED_BEFORE, InstanceFacts.class);
        assertThat(facts.instanceType()).isEqualTo("t3.small");
        assertThat(facts.keyName()).isEqualTo("ops");
        assertThat(facts.volumes())
                .singleElement()
                .satisfies(v -> assertThat(v.deviceName()).isEqualTo("/dev/sda1"));
        assertThat(facts.networkInterfaces()).singleElement().satisfies(n -> {
            assertThat(n.privateIpAddress()).isEqualTo("172.31.0.10");
            assertThat(n.publicIp()).isNull();
            assertThat(n.deleteOnTermination()).isNull();
        });
        assertThat(facts.iamInstanceProfileArn()).isNull();
        assertThat(facts.userData()).isNull();
        assertThat(facts.bootMode()).isNull();
        assertThat(facts.tenancy()).isNull();
        assertThat(facts.metadataOptions()).isNull();
    }

    @Test
    void theCatalogsCopyLeavesTheUserDataOut() {
        var mapper = EventCodec.standardMapper();
        var recorded = mapper.readValue(RECORDED_BEFORE, InstanceFacts.class);
        var withUserData = mapper.readValue(
                mapper.writeValueAsString(recorded).replace("\"userData\":null", "\"userData\":\"c2VjcmV0\""),
                InstanceFacts.class);
        assertThat(withUserData.userData()).isEqualTo("c2VjcmV0");
        var copy = withUserData.withoutUserData();
        assertThat(copy.userData()).isNull();
        assertThat(copy).isEqualTo(recorded);
        assertThat(mapper.writeValueAsString(copy)).doesNotContain("c2VjcmV0");
    }
}
