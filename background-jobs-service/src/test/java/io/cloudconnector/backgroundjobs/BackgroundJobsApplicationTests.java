package io.cloudconnector.backgroundjobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Worker mode is chosen by the arguments the vault's Batch job definition passes; {@code scalez …} (the provisioner's
 * server task) is the ScaleZ CLI.
 */
class BackgroundJobsApplicationTests {

    @Test
    void workerArgumentsNameTheJob() {
        assertThat(BackgroundJobsApplication.workerJobId(
                        new String[] {"--worker", "--job-id=j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4"}))
                .contains("j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4");
        assertThat(BackgroundJobsApplication.workerJobId(new String[] {"--server.port=0"}))
                .isEmpty();
    }

    @Test
    void aWorkerWithoutAJobIsAMistake() {
        assertThatThrownBy(() -> BackgroundJobsApplication.workerJobId(new String[] {"--worker"}))
                .hasMessageContaining("--job-id");
    }

    @Test
    void scalezArgumentsRunTheScalezCli() {
        assertThat(BackgroundJobsApplication.isScalez(new String[] {"scalez", "serve", "--repo", "s3://b"}))
                .isTrue();
        assertThat(BackgroundJobsApplication.isScalez(new String[] {"--worker", "--job-id=j-1"}))
                .isFalse();
        assertThat(BackgroundJobsApplication.isScalez(new String[0])).isFalse();

        assertThat(BackgroundJobsApplication.scalez(new String[] {"scalez", "--version"}))
                .isZero();
        assertThat(BackgroundJobsApplication.scalez(new String[] {"scalez", "--help"}))
                .isZero();
        // Bad usage is the CLI's exit code 2, not Spring starting.
        assertThat(BackgroundJobsApplication.scalez(new String[] {"scalez", "no-such-command"}))
                .isEqualTo(2);
    }
}
