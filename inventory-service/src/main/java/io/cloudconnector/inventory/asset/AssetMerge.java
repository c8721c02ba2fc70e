package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.event.AssetChange;
import io.cloudconnector.common.event.AssetChanged;
import io.cloudconnector.inventory.asset.Observation.Described;
import io.cloudconnector.inventory.asset.Observation.StateReported;
import io.cloudconnector.inventory.asset.Observation.Vanished;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Folds an observation into an asset's record: the rules that make the inventory converge whatever order
 * observations arrive in. Facts and state are two last-writer-wins registers, each stamped with the time of
 * the observation that set it; an observation older than a register leaves it alone. A deleted asset stays
 * deleted until something newer sees it alive.
 */
final class AssetMerge {

    /** What applying an observation means for the table. */
    sealed interface Outcome {}

    /** Nothing to write: the observation is stale, or a duplicate. */
    record Ignored() implements Outcome {}

    /** The asset is not in the table and the observation is not enough to create it (a bare state report). */
    record Unknown() implements Outcome {}

    /** Write {@code next} over the record read; {@code change} is what a consumer should hear of, if anything. */
    record Write(AssetRecord next, @Nullable AssetChanged change) implements Outcome {}

    private static final Ignored IGNORED = new Ignored();

    private AssetMerge() {}

    static Outcome merge(@Nullable AssetRecord current, Observation observation, Instant now) {
        return switch (observation) {
            case Described described -> described(current, described, now);
            case StateReported reported -> reported(current, reported, now);
            case Vanished vanished -> vanished(current, vanished);
        };
    }

    private static Outcome described(@Nullable AssetRecord current, Described observed, Instant now) {
        AssetFacts facts = observed.facts();
        boolean seenAlive = !isDeleted(facts.state());
        if (current == null) {
            // EC2 lists terminated instances for a while; one never seen alive is not worth recording.
            return seenAlive
                    ? new Write(new AssetRecord(facts, now, now, observed.at(), observed.at(), 1), created(facts))
                    : IGNORED;
        }
        boolean factsNewer = observed.at().isAfter(current.observedAt());
        boolean stateNewer = wins(
                observed.at(), facts.state(), current.stateAt(), current.facts().state());
        if (!factsNewer && !stateNewer) {
            return IGNORED;
        }
        AssetFacts merged = (factsNewer ? facts : current.facts())
                .withState(stateNewer ? facts.state() : current.facts().state());
        if (current.isDeleted() && isDeleted(merged.state())) {
            return IGNORED;
        }
        var next = new AssetRecord(
                merged,
                current.firstSeen(),
                seenAlive ? now : current.lastSeen(),
                factsNewer ? observed.at() : current.observedAt(),
                stateNewer ? observed.at() : current.stateAt(),
                current.version() + 1);
        return new Write(next, change(current.facts(), merged));
    }

    private static Outcome reported(@Nullable AssetRecord current, StateReported reported, Instant now) {
        if (current == null) {
            return new Unknown();
        }
        if (!wins(
                reported.at(),
                reported.state(),
                current.stateAt(),
                current.facts().state())) {
            return IGNORED;
        }
        AssetFacts merged = current.facts().withState(reported.state());
        if (current.isDeleted() && isDeleted(merged.state())) {
            return IGNORED;
        }
        var next = new AssetRecord(
                merged,
                current.firstSeen(),
                isDeleted(reported.state()) ? current.lastSeen() : now,
                current.observedAt(),
                reported.at(),
                current.version() + 1);
        return new Write(next, change(current.facts(), merged));
    }

    private static Outcome vanished(@Nullable AssetRecord current, Vanished vanished) {
        // Anything that saw the asset after the sweep began outranks the sweep's silence.
        if (current == null
                || current.isDeleted()
                || !vanished.at().isAfter(current.observedAt())
                || !vanished.at().isAfter(current.stateAt())) {
            return IGNORED;
        }
        AssetFacts merged = current.facts().withState(AssetStates.DELETED);
        var next = new AssetRecord(
                merged,
                current.firstSeen(),
                current.lastSeen(),
                current.observedAt(),
                vanished.at(),
                current.version() + 1);
        return new Write(next, change(current.facts(), merged));
    }

    /** Whether a state observed at {@code at} replaces one recorded at {@code currentAt}. */
    private static boolean wins(Instant at, String state, Instant currentAt, String currentState) {
        int byTime = at.compareTo(currentAt);
        return byTime > 0 || (byTime == 0 && AssetStates.compareAtSameTime(state, currentState) > 0);
    }

    private static @Nullable AssetChanged change(AssetFacts before, AssetFacts after) {
        if (before.equals(after)) {
            return null;
        }
        boolean wasDeleted = isDeleted(before.state());
        boolean isDeleted = isDeleted(after.state());
        if (isDeleted && !wasDeleted) {
            return new AssetChanged(after.id(), AssetChange.DELETED, before.attributes(), null);
        }
        if (wasDeleted && !isDeleted) {
            // Seen alive again after it was taken for gone: to a consumer it exists again.
            return created(after);
        }
        return new AssetChanged(after.id(), AssetChange.UPDATED, before.attributes(), after.attributes());
    }

    private static AssetChanged created(AssetFacts facts) {
        return new AssetChanged(facts.id(), AssetChange.CREATED, null, facts.attributes());
    }

    private static boolean isDeleted(String state) {
        return AssetStates.DELETED.equals(state);
    }
}
