package io.cloudconnector.inventory.asset;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.AssetChange;
import io.cloudconnector.common.event.AssetChanged;
import io.cloudconnector.inventory.asset.AssetMerge.Ignored;
import io.cloudconnector.inventory.asset.AssetMerge.Outcome;
import io.cloudconnector.inventory.asset.AssetMerge.Unknown;
import io.cloudconnector.inventory.asset.AssetMerge.Write;
import io.cloudconnector.inventory.asset.Observation.Described;
import io.cloudconnector.inventory.asset.Observation.StateReported;
import io.cloudconnector.inventory.asset.Observation.Vanished;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AssetMergeTests {

    private static final String ID = "aws:ec2:123456789012:us-east-1:i-0abc";
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void aNewAssetIsCreatedOnce() {
        var first = write(null, described("running", Map.of("env", "prod"), T0));

        assertThat(first.change())
                .isEqualTo(new AssetChanged(
                        ID, AssetChange.CREATED, null, first.next().facts().attributes()));
        assertThat(first.next().firstSeen()).isEqualTo(NOW);
        assertThat(first.next().version()).isEqualTo(1);
        assertThat(AssetMerge.merge(first.next(), described("running", Map.of("env", "prod"), T0), NOW))
                .as("the same describe result again")
                .isInstanceOf(Ignored.class);
    }

    @Test
    void anOlderDescribeResultChangesNothing() {
        var record = write(null, described("running", Map.of("env", "prod"), T0.plusSeconds(60)))
                .next();

        assertThat(AssetMerge.merge(record, described("stopped", Map.of("env", "dev"), T0), NOW))
                .isInstanceOf(Ignored.class);
    }

    @Test
    void aNewerDescribeWithOtherFactsIsOneUpdateWithBeforeAndAfter() {
        var record =
                write(null, described("running", Map.of("env", "prod"), T0)).next();

        var update = write(record, described("running", Map.of("env", "dev"), T0.plusSeconds(60)));

        assertThat(update.change().change()).isEqualTo(AssetChange.UPDATED);
        assertThat(update.change().before()).containsEntry("tags", Map.of("env", "prod"));
        assertThat(update.change().after()).containsEntry("tags", Map.of("env", "dev"));
        assertThat(update.next().version()).isEqualTo(2);
    }

    @Test
    void aNewerDescribeWithTheSameFactsOnlyMovesLastSeen() {
        var record = write(null, described("running", Map.of(), T0)).next();

        var touch = write(record, described("running", Map.of(), T0.plusSeconds(900)));

        assertThat(touch.change()).isNull();
        assertThat(touch.next().lastSeen()).isEqualTo(NOW);
        assertThat(touch.next().observedAt()).isEqualTo(T0.plusSeconds(900));
    }

    @Test
    void reorderedAndDuplicatedStateEventsEndInTheNewestStateWithoutGoingBack() {
        var created = write(null, described("running", Map.of(), T0)).next();
        var stopping = new StateReported(ID, "stopping", T0.plusSeconds(10));
        var stopped = new StateReported(ID, "stopped", T0.plusSeconds(20));

        for (var order : List.of(
                List.of(stopping, stopped, stopping, stopped),
                List.of(stopped, stopping, stopped, stopping),
                List.of(stopped, stopped, stopping))) {
            var outcome = applyAll(created, order);
            assertThat(outcome.record().facts().state())
                    .as("final state of %s", order)
                    .isEqualTo("stopped");
            assertThat(outcome.changes())
                    .as("changes of %s", order)
                    .allSatisfy(change -> assertThat(change.change()).isEqualTo(AssetChange.UPDATED))
                    .extracting(change -> change.after().get("state"))
                    .isIn(List.of("stopping", "stopped"), List.of("stopped"));
        }
    }

    @Test
    void twoStatesReportedInTheSameSecondEndTheSameWhateverTheOrder() {
        var created = write(null, described("running", Map.of(), T0)).next();
        var stopping = new StateReported(ID, "stopping", T0.plusSeconds(10));
        var stopped = new StateReported(ID, "stopped", T0.plusSeconds(10));

        assertThat(applyAll(created, List.of(stopping, stopped))
                        .record()
                        .facts()
                        .state())
                .isEqualTo("stopped");
        assertThat(applyAll(created, List.of(stopped, stopping))
                        .record()
                        .facts()
                        .state())
                .isEqualTo("stopped");
        assertThat(applyAll(created, List.of(stopped, stopping)).changes()).hasSize(1);
    }

    @Test
    void aStateEventNewerThanADescribeWinsTheStateButNotTheFacts() {
        var created =
                write(null, described("running", Map.of("env", "prod"), T0)).next();
        var stopped = write(created, new StateReported(ID, "stopped", T0.plusSeconds(30)))
                .next();

        // Described later than the facts but earlier than the event: fresh tags, the event's state.
        var merged = write(stopped, described("running", Map.of("env", "dev"), T0.plusSeconds(20)));

        assertThat(merged.next().facts().state()).isEqualTo("stopped");
        assertThat(merged.next().facts().tags()).containsEntry("env", "dev");
        assertThat(merged.change().before()).containsEntry("state", "stopped");
        assertThat(merged.change().after()).containsEntry("state", "stopped");
    }

    @Test
    void aStateReportOfAnUnknownAssetAsksForADescribe() {
        assertThat(AssetMerge.merge(null, new StateReported(ID, "running", T0), NOW))
                .isInstanceOf(Unknown.class);
    }

    @Test
    void aTerminatedInstanceIsDeletedOnceAndStaysDeleted() {
        var created = write(null, described("running", Map.of(), T0)).next();

        var deleted = write(created, new StateReported(ID, AssetStates.DELETED, T0.plusSeconds(60)));
        assertThat(deleted.change())
                .isEqualTo(new AssetChanged(
                        ID, AssetChange.DELETED, created.facts().attributes(), null));

        // EC2 still lists it for a while, with fewer attributes: no "updated" for something gone.
        var gone = deleted.next();
        var listedAfterTermination = new AssetFacts(
                ID, AssetType.EC2, AssetStates.DELETED, "us-east-1a", null, "t3.micro", Map.of(), List.of());
        assertThat(AssetMerge.merge(gone, new Described(listedAfterTermination, T0.plusSeconds(120)), NOW))
                .isInstanceOf(Ignored.class);
        assertThat(AssetMerge.merge(gone, new StateReported(ID, "shutting-down", T0.plusSeconds(50)), NOW))
                .isInstanceOf(Ignored.class);
    }

    @Test
    void anInstanceFirstSeenTerminatedIsNotRecorded() {
        assertThat(AssetMerge.merge(null, described(AssetStates.DELETED, Map.of(), T0), NOW))
                .isInstanceOf(Ignored.class);
    }

    @Test
    void vanishingDeletesOnlyWhatNobodySawAfterTheSweepBegan() {
        var created = write(null, described("running", Map.of(), T0)).next();

        assertThat(AssetMerge.merge(created, new Vanished(ID, T0), NOW))
                .as("seen at the sweep's start")
                .isInstanceOf(Ignored.class);
        var afterEvent = write(created, new StateReported(ID, "stopped", T0.plusSeconds(100)))
                .next();
        assertThat(AssetMerge.merge(afterEvent, new Vanished(ID, T0.plusSeconds(50)), NOW))
                .as("an event after the sweep began")
                .isInstanceOf(Ignored.class);

        var vanished = write(afterEvent, new Vanished(ID, T0.plusSeconds(200)));
        assertThat(vanished.change().change()).isEqualTo(AssetChange.DELETED);
        assertThat(vanished.change().after()).isNull();
        assertThat(AssetMerge.merge(vanished.next(), new Vanished(ID, T0.plusSeconds(300)), NOW))
                .isInstanceOf(Ignored.class);
    }

    @Test
    void anAssetSeenAliveAfterItWasTakenForGoneIsCreatedAgain() {
        var created = write(null, described("running", Map.of(), T0)).next();
        var vanished = write(created, new Vanished(ID, T0.plusSeconds(60))).next();

        var back = write(vanished, described("running", Map.of(), T0.plusSeconds(120)));

        assertThat(back.change().change()).isEqualTo(AssetChange.CREATED);
        assertThat(back.next().firstSeen()).isEqualTo(created.firstSeen());
    }

    private record Applied(AssetRecord record, List<AssetChanged> changes) {}

    private static Applied applyAll(AssetRecord start, List<? extends Observation> observations) {
        AssetRecord record = start;
        List<AssetChanged> changes = new ArrayList<>();
        for (var observation : observations) {
            if (AssetMerge.merge(record, observation, NOW) instanceof Write write) {
                record = write.next();
                if (write.change() != null) {
                    changes.add(write.change());
                }
            }
        }
        return new Applied(record, changes);
    }

    private static Write write(@Nullable AssetRecord current, Observation observation) {
        Outcome outcome = AssetMerge.merge(current, observation, NOW);
        assertThat(outcome).isInstanceOf(Write.class);
        return (Write) outcome;
    }

    private static Described described(String state, Map<String, String> tags, Instant at) {
        return new Described(
                new AssetFacts(
                        ID,
                        AssetType.EC2,
                        state,
                        "us-east-1a",
                        null,
                        "t3.micro",
                        tags,
                        List.of(new Attachment("aws:ebs:123456789012:us-east-1:vol-1", "/dev/xvda"))),
                at);
    }
}
