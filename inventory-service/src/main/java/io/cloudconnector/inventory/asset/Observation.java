package io.cloudconnector.inventory.asset;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Something learnt about one asset at a moment ({@link #at()}). Observations are applied in any order and
 * any number of times; the newest one wins, so duplicates and late arrivals change nothing. Times are kept
 * to the millisecond, as the table stores them.
 */
public sealed interface Observation {

    /** The asset observed. */
    String assetId();

    /** When the observation holds. */
    Instant at();

    /** A describe call returned the asset with these facts. */
    record Described(AssetFacts facts, Instant at) implements Observation {
        public Described {
            at = at.truncatedTo(ChronoUnit.MILLIS);
        }

        @Override
        public String assetId() {
            return facts.id();
        }
    }

    /** An EC2 event reported the asset's new state at {@code at} (the event's time). */
    record StateReported(String assetId, String state, Instant at) implements Observation {
        public StateReported {
            at = at.truncatedTo(ChronoUnit.MILLIS);
        }
    }

    /** A complete describe sweep begun at {@code at} did not return the asset. */
    record Vanished(String assetId, Instant at) implements Observation {
        public Vanished {
            at = at.truncatedTo(ChronoUnit.MILLIS);
        }
    }
}
