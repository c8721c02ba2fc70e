package io.cloudconnector.backgroundjobs.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cloudconnector.backgroundjobs.ebs.Ec2Assets;
import io.cloudconnector.backgroundjobs.job.JobStore;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.aws.AwsProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BackupPathWarmUpTests {

    @Test
    void readsABodyThenLooksUpAVaultAVolumeAndAJobThatDoNotExist() {
        var vaults = mock(VaultDirectory.class);
        var assets = mock(Ec2Assets.class);
        var jobs = mock(JobStore.class);
        var aws = mock(AwsProperties.class);
        when(aws.region()).thenReturn("eu-west-1");
        var context = new org.springframework.context.support.StaticApplicationContext();
        var json = tools.jackson.databind.json.JsonMapper.builder().build();
        var validator =
                jakarta.validation.Validation.buildDefaultValidatorFactory().getValidator();
        context.getBeanFactory().registerSingleton("json", json);
        context.getBeanFactory().registerSingleton("validator", validator);
        var warmUp = new BackupPathWarmUp(
                vaults,
                assets,
                jobs,
                aws,
                context.getBeanProvider(tools.jackson.databind.json.JsonMapper.class),
                context.getBeanProvider(jakarta.validation.Validator.class),
                true);

        var failed = BackupPathWarmUp.run(warmUp.steps());

        assertThat(failed).isEmpty();
        assertThat(warmUp.steps().keySet())
                .containsExactly("request body", "vault directory", "EC2 volumes", "job store");
        verify(vaults, org.mockito.Mockito.times(1)).find(BackupPathWarmUp.NO_VAULT);
        verify(assets).volume("eu-west-1", BackupPathWarmUp.NO_VOLUME);
        verify(jobs).find(BackupPathWarmUp.NO_JOB);
    }

    @Test
    void aFailingStepIsReportedAndTheOthersStillRun() {
        List<String> ran = new ArrayList<>();
        Map<String, Runnable> steps = new LinkedHashMap<>();
        steps.put("first", () -> ran.add("first"));
        steps.put("broken", () -> {
            throw new IllegalStateException("unreachable endpoint");
        });
        steps.put("last", () -> ran.add("last"));

        assertThat(BackupPathWarmUp.run(steps)).containsExactly("broken");
        assertThat(ran).containsExactly("first", "last");
    }
}
