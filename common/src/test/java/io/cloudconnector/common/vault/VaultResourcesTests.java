package io.cloudconnector.common.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** The names vault.yaml gives a vault's resources. */
class VaultResourcesTests {

    private final VaultResources vault = new VaultResources("cc-test", "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4");

    @Test
    void namesTheResourcesAsTheVaultStackDoes() {
        String name = "cc-test-vlt-01jd3zrx5kq0m8yv5d3m0rz2j4";
        assertThat(vault.stackName()).isEqualTo(name);
        assertThat(vault.bucket()).isEqualTo(name);
        assertThat(vault.table()).isEqualTo(name);
        assertThat(vault.computeEnvironment()).isEqualTo(name);
        assertThat(vault.jobQueue()).isEqualTo(name);
        assertThat(vault.scalezCluster()).isEqualTo(name);
        assertThat(vault.workerJobDefinition()).isEqualTo(name + "-worker");
        assertThat(vault.scannerJobDefinition()).isEqualTo(name + "-scanner");
        assertThat(vault.keyAlias()).isEqualTo("alias/cloudconnector/cc-test/vlt-01jd3zrx5kq0m8yv5d3m0rz2j4");
        assertThat(vault.logGroup()).isEqualTo("/cloudconnector/cc-test/vlt-01jd3zrx5kq0m8yv5d3m0rz2j4");
    }

    @Test
    void needsBothIds() {
        assertThatIllegalArgumentException().isThrownBy(() -> new VaultResources(" ", "vlt-1"));
        assertThatIllegalArgumentException().isThrownBy(() -> new VaultResources("cc-test", ""));
    }
}
