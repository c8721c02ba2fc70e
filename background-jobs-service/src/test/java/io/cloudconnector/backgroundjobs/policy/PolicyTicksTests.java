package io.cloudconnector.backgroundjobs.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.cloudconnector.backgroundjobs.backup.BackupService;
import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.job.JobAdmission;
import io.cloudconnector.backgroundjobs.job.JobRecord;
import io.cloudconnector.backgroundjobs.job.JobStore;
import io.cloudconnector.backgroundjobs.restoretest.RestoreTestCadence;
import io.cloudconnector.backgroundjobs.vault.Vault;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.aws.AwsProperties;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.InvalidInputException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * A run admits its assets {@code admission-parallelism} at a time, and records them as the sequential admission did:
 * in the selection's order, with every skip reason; a failure that is not a refusal leaves the run running (for the
 * repeated tick) only after the other admissions finished. The stores are mocks: what a real run writes is
 * {@code PolicyIT}'s.
 */
class PolicyTicksTests {

    private static final Instant NOW = Instant.parse("2026-12-07T08:00:00Z");
    private static final String VAULT = "vlt-01JBENCH0000000000000000";

    private final PolicyStore policies = mock(PolicyStore.class);
    private final PolicyRunStore runs = mock(PolicyRunStore.class);
    private final PolicyAssets assets = mock(PolicyAssets.class);
    private final BackupService backups = mock(BackupService.class);
    private final JobStore jobs = mock(JobStore.class);
    private final VaultDirectory vaults = mock(VaultDirectory.class);
    private final RestoreTestCadence restoreTests = mock(RestoreTestCadence.class);
    private final Policy policy = policy();

    @BeforeEach
    void stores() {
        when(policies.find(policy.id())).thenReturn(Optional.of(policy));
        when(runs.createIfAbsent(any())).thenReturn(true);
        when(vaults.find(VAULT)).thenReturn(Optional.of(new Vault(VAULT, "v", "us-east-1", "b", "k", true)));
        when(jobs.unfinished()).thenReturn(List.of());
    }

    @Test
    void admitsEightAssetsAtATime() throws Exception {
        when(assets.all()).thenReturn(volumes(40));
        var inFlight = new AtomicInteger();
        var most = new AtomicInteger();
        // The first eight admissions wait for one another: they pass only if eight run at once.
        var eight = new CountDownLatch(8);
        when(backups.startForPolicy(anyString(), eq(VAULT), eq(policy.id()), anyString(), anyBoolean()))
                .thenAnswer(call -> {
                    int now = inFlight.incrementAndGet();
                    most.accumulateAndGet(now, Math::max);
                    eight.countDown();
                    boolean together = eight.await(10, TimeUnit.SECONDS);
                    Thread.sleep(5);
                    inFlight.decrementAndGet();
                    if (!together) {
                        throw new IllegalStateException("the admissions did not run eight at a time");
                    }
                    return new JobAdmission.JobAccepted("job-" + call.getArgument(0, String.class));
                });

        ticks(8).tick(policy.id(), NOW);

        assertThat(most.get()).isEqualTo(8);
        var run = savedRun();
        assertThat(run.state()).isEqualTo(PolicyRun.COMPLETED);
        assertThat(run.assetsSelected()).isEqualTo(40);
        // The run lists the jobs in the selection's order, whatever order the admissions finished in.
        assertThat(run.jobs())
                .extracting(PolicyRun.StartedJob::assetId)
                .containsExactlyElementsOf(
                        volumes(40).stream().map(PolicyAssets.Asset::id).toList());
        assertThat(run.jobs()).allSatisfy(j -> assertThat(j.jobId()).isEqualTo("job-" + j.assetId()));
        assertThat(run.skipped()).isEmpty();
    }

    @Test
    void aPolicyWithRestoreTestsHasThemStartedForItsLiveAssetsAtEachRun() {
        var tested = new Policy(
                policy.id(),
                policy.name(),
                policy.vaultId(),
                policy.schedule(),
                policy.selection(),
                null,
                false,
                false,
                null,
                1,
                NOW,
                NOW,
                NOW,
                60,
                new Policy.RestoreTest("P7D"));
        when(policies.find(policy.id())).thenReturn(Optional.of(tested));
        var live = volumes(3);
        var gone = new PolicyAssets.Asset(
                "aws:ebs:123456789012:us-east-1:vol-0gone0000000000", "ebs", Map.of("backup", "daily"), true);
        when(assets.all())
                .thenReturn(java.util.stream.Stream.concat(live.stream(), java.util.stream.Stream.of(gone))
                        .toList());
        when(backups.startForPolicy(anyString(), eq(VAULT), eq(policy.id()), anyString(), anyBoolean()))
                .thenReturn(new JobAdmission.JobAccepted("j-1"));

        ticks(1).tick(policy.id(), NOW);

        verify(restoreTests)
                .run(
                        eq(policy.id()),
                        eq(VAULT),
                        eq(Duration.ofDays(7)),
                        anyString(),
                        eq(live.stream().map(PolicyAssets.Asset::id).toList()));
    }

    @Test
    void aPolicyWithoutRestoreTestsStartsNone() {
        when(assets.all()).thenReturn(volumes(2));
        when(backups.startForPolicy(anyString(), eq(VAULT), eq(policy.id()), anyString(), anyBoolean()))
                .thenReturn(new JobAdmission.JobAccepted("j-1"));

        ticks(1).tick(policy.id(), NOW);

        verify(restoreTests, never()).run(any(), any(), any(), any(), any());
    }

    @Test
    void oneAtATimeWhenTheParallelismIsOne() {
        assertThat(mostAtOnce(ticks(1))).isEqualTo(1);
        assertThat(savedRun().jobs()).hasSize(24);
    }

    @Test
    void oneAtATimeAgainstTheEmulatorUnlessTold() {
        assertThat(mostAtOnce(ticks(null, URI.create("http://127.0.0.1:5000")))).isEqualTo(1);
        assertThat(savedRun().jobs()).hasSize(24);
    }

    @Test
    void everySkipReasonKeepsItsPlaceInTheRun() {
        var all = new ArrayList<>(volumes(6));
        all.set(1, new PolicyAssets.Asset(all.get(1).id(), "ebs", Map.of("backup", "daily"), true));
        when(assets.all()).thenReturn(all);
        // Asset 2 has a backup under way (of another run); 3 is gone from EC2; 4's vault went away meanwhile.
        when(jobs.unfinished())
                .thenReturn(List.of(JobRecord.queued(
                        "job-other",
                        JobKind.EBS_BACKUP,
                        VAULT,
                        all.get(2).id(),
                        null,
                        Map.of(JobRecord.RUN_ID, "run-other"),
                        NOW)));
        when(backups.startForPolicy(anyString(), eq(VAULT), eq(policy.id()), anyString(), anyBoolean()))
                .thenAnswer(call -> {
                    String asset = call.getArgument(0, String.class);
                    if (asset.equals(all.get(3).id())) {
                        throw new InvalidInputException("assetId", "no volume");
                    }
                    if (asset.equals(all.get(4).id())) {
                        throw new ConflictException("vaultId", "deleted");
                    }
                    return new JobAdmission.JobAccepted("job-" + asset);
                });

        ticks(8).tick(policy.id(), NOW);

        var run = savedRun();
        assertThat(run.jobs())
                .containsExactly(
                        new PolicyRun.StartedJob(
                                all.get(0).id(), "job-" + all.get(0).id()),
                        new PolicyRun.StartedJob(
                                all.get(5).id(), "job-" + all.get(5).id()));
        assertThat(run.skipped())
                .containsExactly(
                        new PolicyRun.Skipped(all.get(2).id(), PolicyRun.Reasons.ALREADY_RUNNING),
                        new PolicyRun.Skipped(all.get(3).id(), PolicyRun.Reasons.ASSET_GONE),
                        new PolicyRun.Skipped(all.get(4).id(), PolicyRun.Reasons.VAULT_UNAVAILABLE));
        // The deleted asset (not named by id) is not selected; neither it nor the busy one was offered to admission.
        assertThat(run.assetsSelected()).isEqualTo(5);
        verify(backups, never()).startForPolicy(eq(all.get(1).id()), any(), any(), any(), anyBoolean());
        verify(backups, never()).startForPolicy(eq(all.get(2).id()), any(), any(), any(), anyBoolean());
    }

    @Test
    void aFailureLeavesTheRunRunningAfterTheOtherAdmissionsFinished() {
        var all = volumes(20);
        when(assets.all()).thenReturn(all);
        Set<String> admitted = ConcurrentHashMap.newKeySet();
        when(backups.startForPolicy(anyString(), eq(VAULT), eq(policy.id()), anyString(), anyBoolean()))
                .thenAnswer(call -> {
                    String asset = call.getArgument(0, String.class);
                    if (asset.equals(all.get(2).id())) {
                        throw new IllegalStateException("EventBridge is down");
                    }
                    Thread.sleep(3);
                    admitted.add(asset);
                    return new JobAdmission.JobAccepted("job-" + asset);
                });

        assertThatThrownBy(() -> ticks(8).tick(policy.id(), NOW)).hasMessage("EventBridge is down");

        // Every other admission ran to its end (the repeated tick gets their jobs back by their keys) ...
        assertThat(admitted).hasSize(19);
        // ... and the run was not recorded finished: it stays running, for the repeated tick to finish.
        verify(runs, never()).save(any());
    }

    @Test
    void anAdmissionIsTriedAgainAfterAnErrorOfAwsSide() {
        var all = volumes(3);
        when(assets.all()).thenReturn(all);
        var unavailable = AwsServiceException.builder()
                .statusCode(500)
                .message("Internal server error")
                .build();
        when(backups.startForPolicy(eq(all.get(0).id()), eq(VAULT), eq(policy.id()), anyString(), anyBoolean()))
                .thenReturn(new JobAdmission.JobAccepted("job-0"));
        // Asset 1: one 500, then the (idempotent) admission succeeds.
        when(backups.startForPolicy(eq(all.get(1).id()), eq(VAULT), eq(policy.id()), anyString(), anyBoolean()))
                .thenThrow(unavailable)
                .thenReturn(new JobAdmission.JobAccepted("job-1"));
        when(backups.startForPolicy(eq(all.get(2).id()), eq(VAULT), eq(policy.id()), anyString(), anyBoolean()))
                .thenReturn(new JobAdmission.JobAccepted("job-2"));

        ticks(8).tick(policy.id(), NOW);

        assertThat(savedRun().jobs())
                .extracting(PolicyRun.StartedJob::jobId)
                .containsExactly("job-0", "job-1", "job-2");
        verify(backups, times(2)).startForPolicy(eq(all.get(1).id()), any(), any(), any(), anyBoolean());
    }

    @Test
    void anErrorOfAwsSideThatLastsFailsTheTickAfterThreeAttempts() {
        var all = volumes(1);
        when(assets.all()).thenReturn(all);
        when(backups.startForPolicy(anyString(), eq(VAULT), eq(policy.id()), anyString(), anyBoolean()))
                .thenThrow(AwsServiceException.builder()
                        .statusCode(503)
                        .message("Service unavailable")
                        .build());

        assertThatThrownBy(() -> ticks(8).tick(policy.id(), NOW)).isInstanceOf(AwsServiceException.class);

        verify(backups, times(PolicyTicks.ATTEMPTS)).startForPolicy(anyString(), any(), any(), any(), anyBoolean());
        verify(runs, never()).save(any());
    }

    @Test
    void aParallelismBelowOneIsRefused() {
        assertThatThrownBy(() -> ticks(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("admission-parallelism");
    }

    private PolicyTicks ticks(@Nullable Integer parallelism) {
        return ticks(parallelism, null);
    }

    private PolicyTicks ticks(@Nullable Integer parallelism, @Nullable URI endpoint) {
        var properties = new PolicyProperties(
                Duration.ofMinutes(1), "local", Duration.ofSeconds(10), 8, parallelism, null, null, null);
        return new PolicyTicks(
                policies,
                runs,
                assets,
                backups,
                jobs,
                vaults,
                restoreTests,
                properties,
                new AwsClients(AwsProperties.of("us-east-1", endpoint)),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private int mostAtOnce(PolicyTicks ticks) {
        when(assets.all()).thenReturn(volumes(24));
        var inFlight = new AtomicInteger();
        var most = new AtomicInteger();
        when(backups.startForPolicy(anyString(), eq(VAULT), eq(policy.id()), anyString(), anyBoolean()))
                .thenAnswer(call -> {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    Thread.sleep(20);
                    inFlight.decrementAndGet();
                    return new JobAdmission.JobAccepted("job-" + call.getArgument(0, String.class));
                });
        ticks.tick(policy.id(), NOW);
        return most.get();
    }

    private PolicyRun savedRun() {
        var saved = ArgumentCaptor.forClass(PolicyRun.class);
        verify(runs).save(saved.capture());
        return saved.getValue();
    }

    private static List<PolicyAssets.Asset> volumes(int count) {
        return IntStream.range(0, count)
                .mapToObj(i -> new PolicyAssets.Asset(
                        "aws:ebs:123456789012:us-east-1:vol-%017d".formatted(i),
                        "ebs",
                        Map.of("backup", "daily"),
                        false))
                .toList();
    }

    private static Policy policy() {
        return new Policy(
                "pol-01JBENCH0000000000000000",
                "daily",
                VAULT,
                new Policy.Schedule("rate(1 hour)", "UTC", 60),
                new Policy.Selection(List.of(), Map.of("backup", "daily"), List.of("ebs")),
                null,
                false,
                false,
                null,
                1,
                NOW,
                NOW,
                NOW,
                60,
                null);
    }
}
