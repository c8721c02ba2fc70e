package io.cloudconnector.backgroundjobs.ebs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.event.RecoveryPointKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Asset ids: the canonical form, and bare volume and instance ids in the connector's account and region. */
class AssetIdTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "vol-0123456789abcdef0, EBS, 111122223333, eu-central-1, aws:ebs:111122223333:eu-central-1:vol-0123456789abcdef0",
        "i-0abc1234, EC2, 111122223333, eu-central-1, aws:ec2:111122223333:eu-central-1:i-0abc1234",
        "aws:ebs:123456789012:us-east-2:vol-0123456789abcdef0, EBS, 123456789012, us-east-2, aws:ebs:123456789012:us-east-2:vol-0123456789abcdef0",
        "aws:ec2:123456789012:ap-southeast-2:i-0123456789abcdef0, EC2, 123456789012, ap-southeast-2, aws:ec2:123456789012:ap-southeast-2:i-0123456789abcdef0",
    })
    void parsesFullAndBareIds(String text, RecoveryPointKind kind, String account, String region, String canonical) {
        var asset = AssetId.parse(text, "111122223333", "eu-central-1");

        assertThat(asset.kind()).isEqualTo(kind);
        assertThat(asset.account()).isEqualTo(account);
        assertThat(asset.region()).isEqualTo(region);
        assertThat(asset.canonical()).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "disk-1                                                  | must be aws:ebs",
                "aws:ebs:123456789012:us-east-1:i-0123456789abcdef0       | must name a volume",
                "aws:ec2:123456789012:us-east-1:vol-0123456789abcdef0     | must name an instance",
                "aws:ebs:12345:us-east-1:vol-0123456789abcdef0            | must be aws:ebs",
                "vol-XYZ                                                 | must be aws:ebs",
            })
    void refusesWhatIsNotAnAssetSayingWhatIsExpected(String text, String message) {
        assertThatThrownBy(() -> AssetId.parse(text, "111122223333", "eu-central-1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
