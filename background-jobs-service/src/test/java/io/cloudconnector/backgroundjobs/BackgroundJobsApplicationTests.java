package io.cloudconnector.backgroundjobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Worker mode is chosen by the arguments the vault's Batch job definition passes. */
class BackgroundJobsApplicationTests {

    @Test
    void workerArgumentsNameTheJob() {
        assertThat(BackgroundJobsApplication.workerJobId(new String[] {"--worker", "--job-id=j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4"}))
                .contains("j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4");
        assertThat(BackgroundJobsApplication.workerJobId(new String[] {"--server.port=0"})).isEmpty();
    }

    @Test
    void aWorkerWithoutAJobIsAMistake() {
        assertThatThrownBy(() -> BackgroundJobsApplication.workerJobId(new String[] {"--worker"}))
                .hasMessageContaining("--job-id");
    }
}
