package io.cloudconnector.backgroundjobs.restoretest;

import io.cloudconnector.backgroundjobs.config.AwsClients;
import io.cloudconnector.backgroundjobs.ebs.Snapshots;
import io.cloudconnector.backgroundjobs.job.JobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * The snapshots and images restore tests make, found by their tag {@value #TAG} (its value is the test's job id):
 * listed, deleted when a test ends, and deleted at the start of every test when the job that made them is not running
 * any more (a run that was killed, or a worker that died, before it could delete them).
 */
@Component
class ScratchResources {

    /** The tag every scratch resource carries; its value names the test (the job id). */
    static final String TAG = "cloudconnector:restore-test";

    static final String CONNECTOR_TAG = "cloudconnector:connector";

    private static final Logger log = LoggerFactory.getLogger(ScratchResources.class);

    private final AwsClients clients;
    private final Snapshots snapshots;
    private final JobStore jobs;

    ScratchResources(AwsClients clients, Snapshots snapshots, JobStore jobs) {
        this.clients = clients;
        this.snapshots = snapshots;
        this.jobs = jobs;
    }

    /** A scratch snapshot or image, and the test that made it. */
    record Scratch(String id, String testJobId) {}

    /** The scratch snapshots and images of {@code jobId} in {@code region} (of every test when null). */
    List<Scratch> list(String region, String jobId) {
        List<Scratch> found = new ArrayList<>();
        images(region, jobId).forEach(i -> found.add(new Scratch(i.imageId(), tag(i.tags()))));
        scratchSnapshots(region, jobId).forEach(s -> found.add(new Scratch(s.snapshotId(), tag(s.tags()))));
        return found;
    }

    /**
     * Deletes what earlier runs of this connector left: scratch of tests that are no longer running, and scratch of
     * {@code currentJobId} itself (an earlier attempt of this job; this run has made nothing yet). Scratch of another
     * connector in the same account is never touched: its tests are not in this connector's job table.
     *
     * @return what was deleted
     */
    List<Scratch> deleteLeftovers(String region, String connectorId, String currentJobId) {
        List<Scratch> deleted = new ArrayList<>();
        for (var image : images(region, null)) {
            if (!connectorId.equals(tag(image.tags(), CONNECTOR_TAG))) {
                continue;
            }
            String owner = tag(image.tags());
            if (left(owner, currentJobId)) {
                deregister(region, image.imageId());
                deleted.add(new Scratch(image.imageId(), owner));
            }
        }
        List<String> gone = new ArrayList<>();
        for (var snapshot : scratchSnapshots(region, null)) {
            if (!connectorId.equals(tag(snapshot.tags(), CONNECTOR_TAG))) {
                continue;
            }
            String owner = tag(snapshot.tags());
            if (left(owner, currentJobId)) {
                gone.add(snapshot.snapshotId());
                deleted.add(new Scratch(snapshot.snapshotId(), owner));
            }
        }
        snapshots.deleteQuietly(region, gone);
        if (!deleted.isEmpty()) {
            log.info("Deleted scratch resources left by earlier restore tests: {}", deleted);
        }
        return deleted;
    }

    /** Deletes a test's image (if any) and snapshots; failures are logged, and the next test's cleanup retries. */
    void delete(String region, Optional<String> imageId, List<String> snapshotIds) {
        imageId.ifPresent(id -> deregister(region, id));
        snapshots.deleteQuietly(region, snapshotIds);
    }

    /** Deletes whatever still carries {@code jobId}'s tag: scratch a failure left before its id was noted. */
    void deleteTagged(String region, String jobId) {
        try {
            images(region, jobId).forEach(i -> deregister(region, i.imageId()));
            snapshots.deleteQuietly(
                    region,
                    scratchSnapshots(region, jobId).stream()
                            .map(Snapshot::snapshotId)
                            .toList());
        } catch (RuntimeException e) {
            // Listed again below, and deleted by the next test's cleanup.
            log.warn("Cannot look for the scratch of {} in {}: {}", jobId, region, e.getMessage());
        }
    }

    private boolean left(String owner, String currentJobId) {
        if (owner.equals(currentJobId)) {
            return true;
        }
        return jobs.find(owner).map(job -> job.state().finished()).orElse(true);
    }

    private void deregister(String region, String imageId) {
        try {
            clients.in(region).ec2().deregisterImage(b -> b.imageId(imageId));
        } catch (Ec2Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (!"InvalidAMIID.NotFound".equals(code) && !"InvalidAMIID.Unavailable".equals(code)) {
                log.warn("Cannot deregister scratch image {} in {}: {}", imageId, region, e.getMessage());
            }
        } catch (RuntimeException e) {
            log.warn("Cannot deregister scratch image {} in {}: {}", imageId, region, e.getMessage());
        }
    }

    private List<Image> images(String region, @org.jspecify.annotations.Nullable String jobId) {
        return clients.in(region)
                .ec2()
                .describeImages(b -> b.owners("self").filters(filter(jobId)))
                .images();
    }

    private List<Snapshot> scratchSnapshots(String region, @org.jspecify.annotations.Nullable String jobId) {
        List<Snapshot> found = new ArrayList<>();
        clients.in(region)
                .ec2()
                .describeSnapshotsPaginator(b -> b.ownerIds("self").filters(filter(jobId)))
                .snapshots()
                .forEach(found::add);
        return found;
    }

    private static Filter filter(@org.jspecify.annotations.Nullable String jobId) {
        return jobId == null
                ? Filter.builder().name("tag-key").values(TAG).build()
                : Filter.builder().name("tag:" + TAG).values(jobId).build();
    }

    private static String tag(List<Tag> tags) {
        return tag(tags, TAG);
    }

    private static String tag(List<Tag> tags, String key) {
        return tags.stream()
                .filter(t -> key.equals(t.key()))
                .map(Tag::value)
                .findFirst()
                .orElse("");
    }
}
