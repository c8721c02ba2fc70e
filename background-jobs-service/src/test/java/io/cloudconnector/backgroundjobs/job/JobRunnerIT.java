package io.cloudconnector.backgroundjobs.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.JobCancelRequested;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.JobRequeueRequested;
import io.cloudconnector.common.event.JobResult;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.messaging.InboxDispatcher;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.SecuredWebTests;
import io.cloudconnector.common.testing.TestTokens;
import io.cloudconnector.common.testing.WithAwsEmulator;
import io.cloudconnector.scalez.remote.RemoteWriterException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The job machinery against the real table and bus, with a work whose pace the test controls: cancellation of a
 * running and of a queued job, a run taking over from a dead worker once its lease lapses, a job requeued after its
 * ScaleZ server was interrupted, the end of a job whose workers keep dying, and a failure that says why.
 */
@WithAwsEmulator
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "connector.jobs.mode=local",
            "connector.jobs.reconcile-interval=1h",
            "connector.jobs.lease=3s",
            "connector.jobs.heartbeat=200ms",
            "connector.jobs.max-attempts=2"
        })
// The emulator is reset before each class: a context cached from another class would talk to resources that are gone.
@DirtiesContext
class JobRunnerIT extends SecuredWebTests {

    /** Runs scan jobs (a kind this service does not run for real) at the test's pace. */
    static final class GatedWork implements JobWork {
        volatile CountDownLatch started = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(1);
        volatile RuntimeException failure;

        void reset() {
            started = new CountDownLatch(1);
            release = new CountDownLatch(1);
            failure = null;
        }

        @Override
        public Set<JobKind> kinds() {
            return Set.of(JobKind.SCAN);
        }

        @Override
        public JobResult run(JobContext context) {
            started.countDown();
            try {
                while (!release.await(20, TimeUnit.MILLISECONDS)) {
                    context.checkpoint();
                    context.progress().progressed(1, 2);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw failure;
            }
            return new JobResult(null, "snap-0123456789abcdef0", null, null, null);
        }
    }

    @TestConfiguration
    static class Gated {
        @Bean
        GatedWork gatedWork() {
            return new GatedWork();
        }
    }

    @Autowired
    GatedWork work;

    @Autowired
    JobAdmission admission;

    @Autowired
    JobStore store;

    @Autowired
    JobRunner runner;

    @Autowired
    InboxDispatcher inbox;

    @BeforeAll
    static void deployConnectorStack(AwsEmulator emulator) {
        ConnectorStack.deploy(emulator);
    }

    @BeforeEach
    void freshWork() {
        work.reset();
    }

    private static JobRecord scan() {
        return JobRecord.queued(
                Ids.job(), JobKind.SCAN, "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4", null, null, Map.of(), Instant.now());
    }

    @Test
    void aRunningJobStopsWithinSecondsOfACancellationAndSaysSo() throws Exception {
        var job = scan();
        admission.admit("test", null, Map.of(), "TEST", () -> job);
        assertThat(work.started.await(30, TimeUnit.SECONDS)).isTrue();

        inbox.dispatch(EventEnvelope.wrap(
                new JobCancelRequested(job.id()), TestTokens.CONNECTOR_ID, job.id(), Clock.systemUTC()));

        var ended = await().atMost(Duration.ofSeconds(10))
                .until(() -> store.find(job.id()).orElseThrow(), j -> j.state().finished());
        assertThat(ended.state()).isEqualTo(JobState.CANCELLED);
        assertThat(jobstatusEvents(job.id()))
                .contains("JobCreated", "JobStarted", "JobCancelled")
                .doesNotContain("JobSucceeded", "JobFailed");
    }

    @Test
    void aJobCancelledBeforeItRanEndsAtOnceAndNeverRuns() {
        var job = scan();
        store.create(job, "TEST");

        inbox.dispatch(EventEnvelope.wrap(
                new JobCancelRequested(job.id()), TestTokens.CONNECTOR_ID, job.id(), Clock.systemUTC()));

        assertThat(store.find(job.id()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(runner.run(job.id())).isEqualTo(JobRunner.Outcome.NOT_RUN);
        assertThat(jobstatusEvents(job.id())).containsExactly("JobCancelled");
    }

    @Test
    void aRunTakesOverFromADeadWorkerOnlyOnceItsLeaseLapses() {
        var job = scan();
        store.create(job, "TEST");
        var lease = Duration.ofSeconds(3);
        // A worker that claimed the job and died: its lease ends a second from now.
        store.claim(job.id(), Instant.now().minus(lease).plusSeconds(1), lease, 2);

        assertThat(runner.run(job.id())).isEqualTo(JobRunner.Outcome.HELD);
        work.release.countDown();
        assertThat(runner.runWhenFree(job.id())).isEqualTo(JobRunner.Outcome.SUCCEEDED);

        var done = store.find(job.id()).orElseThrow();
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.result().snapshotId()).isEqualTo("snap-0123456789abcdef0");
        assertThat(jobstatusEvents(job.id())).containsExactly("JobStarted", "JobSucceeded");
    }

    @Test
    void aJobRequeuedAfterItsServerWasInterruptedRunsAgainOnceAndAnEndedOrUnknownJobIsLeftAlone() {
        var job = scan();
        store.create(job, "TEST");
        var lease = Duration.ofSeconds(3);
        // A run that wrote through the interrupted server and died: its lease ends a second from now. The reconciler
        // is an hour away, so only the requeue runs the job again.
        store.claim(job.id(), Instant.now().minus(lease).plusSeconds(1), lease, 2);
        work.release.countDown();
        var requeue = new JobRequeueRequested(job.id(), job.vaultId(), "srv-01", "spot-interruption");

        inbox.dispatch(EventEnvelope.wrap(requeue, TestTokens.CONNECTOR_ID, job.id(), Clock.systemUTC()));
        // The same fact delivered again (another envelope) while the new run waits out the dead run's lease.
        inbox.dispatch(EventEnvelope.wrap(requeue, TestTokens.CONNECTOR_ID, job.id(), Clock.systemUTC()));

        var done = await().atMost(Duration.ofSeconds(30))
                .until(() -> store.find(job.id()).orElseThrow(), j -> j.state().finished());
        assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(done.attempt()).isEqualTo(2);
        // Once ended, a late duplicate (or a request naming another server) runs nothing.
        inbox.dispatch(EventEnvelope.wrap(requeue, TestTokens.CONNECTOR_ID, job.id(), Clock.systemUTC()));
        inbox.dispatch(EventEnvelope.wrap(
                new JobRequeueRequested(job.id(), job.vaultId(), "srv-02", "spot-interruption"),
                TestTokens.CONNECTOR_ID,
                job.id(),
                Clock.systemUTC()));
        assertThat(store.find(job.id()).orElseThrow()).isEqualTo(done);
        assertThat(jobstatusEvents(job.id())).containsExactly("JobStarted", "JobSucceeded");

        // A job this service does not know (integrity's, say): nothing happens, nothing fails.
        String unknown = Ids.job();
        inbox.dispatch(EventEnvelope.wrap(
                new JobRequeueRequested(unknown, job.vaultId(), "srv-01", "spot-interruption"),
                TestTokens.CONNECTOR_ID,
                unknown,
                Clock.systemUTC()));
        assertThat(store.find(unknown)).isEmpty();
    }

    @Test
    void aJobWhoseWorkersKeepDyingFailsSayingSo() {
        var job = scan();
        store.create(job, "TEST");
        var longAgo = Instant.now().minus(Duration.ofMinutes(10));
        store.claim(job.id(), longAgo, Duration.ofSeconds(3), 2);
        store.claim(job.id(), longAgo.plusSeconds(10), Duration.ofSeconds(3), 2);

        assertThat(runner.run(job.id())).isEqualTo(JobRunner.Outcome.FAILED);

        var failed = store.find(job.id()).orElseThrow();
        assertThat(failed.state()).isEqualTo(JobState.FAILED);
        assertThat(failed.errorCode()).isEqualTo("worker-lost");
        assertThat(failed.errorMessage()).contains("stopped 2 times");
        assertThat(jobstatusEvents(job.id())).containsExactly("JobFailed");
    }

    @Test
    void aRunWhoseServerLostWhatItSentLeavesTheJobToTheNextRunUntilTheLastAttempt() {
        var job = scan();
        store.create(job, "TEST");
        work.failure = new RemoteWriterException("The ScaleZ server went away before storing 3 blobs");
        work.release.countDown();

        assertThat(runner.run(job.id())).isEqualTo(JobRunner.Outcome.RETRY);

        var left = store.find(job.id()).orElseThrow();
        assertThat(left.state()).isEqualTo(JobState.RUNNING);
        assertThat(left.attempt()).isEqualTo(1);
        assertThat(left.leaseUntil()).isBefore(Instant.now().plusMillis(1));
        // The next run claims it at once, as it would a dead worker's; failing the same way on the last of the
        // two attempts configured here, it ends the job.
        assertThat(runner.run(job.id())).isEqualTo(JobRunner.Outcome.FAILED);
        var failed = store.find(job.id()).orElseThrow();
        assertThat(failed.attempt()).isEqualTo(2);
        assertThat(failed.errorCode()).isEqualTo("storage-error");
        assertThat(jobstatusEvents(job.id())).containsExactly("JobStarted", "JobStarted", "JobFailed");

        var second = scan();
        store.create(second, "TEST");
        assertThat(runner.run(second.id())).isEqualTo(JobRunner.Outcome.RETRY);
        work.failure = null;
        assertThat(runner.run(second.id())).isEqualTo(JobRunner.Outcome.SUCCEEDED);
        assertThat(store.find(second.id()).orElseThrow().attempt()).isEqualTo(2);
        assertThat(jobstatusEvents(second.id())).containsExactly("JobStarted", "JobStarted", "JobSucceeded");
    }

    @Test
    void aFailedJobSaysWhy() {
        var job = scan();
        store.create(job, "TEST");
        work.failure = new JobFailure("asset-not-found", "Volume vol-0123456789abcdef0 no longer exists");
        work.release.countDown();

        assertThat(runner.run(job.id())).isEqualTo(JobRunner.Outcome.FAILED);

        var failed = store.find(job.id()).orElseThrow();
        assertThat(failed.errorCode()).isEqualTo("asset-not-found");
        assertThat(failed.errorMessage()).isEqualTo("Volume vol-0123456789abcdef0 no longer exists");
    }

    /** The types of the events about {@code jobId} that reached jobstatus's inbox, in arrival order. */
    private List<String> jobstatusEvents(String jobId) {
        var codec = EventCodec.standard();
        try (var sqs = ConnectorStack.clients(AwsEmulator.shared()).sync(SqsClient.builder())) {
            String url = sqs.getQueueUrl(b -> b.queueName(TestTokens.CONNECTOR_ID + "-jobstatus-inbox"))
                    .queueUrl();
            List<String> types = new ArrayList<>();
            // Delivery through the bus is asynchronous: collect until a quiet second.
            await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO).until(() -> {
                var messages = sqs.receiveMessage(
                                b -> b.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages();
                for (var message : messages) {
                    sqs.deleteMessage(b -> b.queueUrl(url).receiptHandle(message.receiptHandle()));
                    var envelope = codec.decode(message.body());
                    if (jobId.equals(envelope.correlationId())
                            && !envelope.type().equals("JobProgressed")) {
                        types.add(envelope.type());
                    }
                }
                return messages.isEmpty();
            });
            return types;
        }
    }
}
