package io.cloudconnector.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.event.EventProducers.Producer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventProducersTests {

    @Test
    void theTableNamesTheProducersOfEveryEventType() {
        assertThat(EventProducers.types()).containsExactlyInAnyOrderElementsOf(EventTypes.names());
    }

    @Test
    void everyTypeOnTheBusHasAProducerAndTheDirectOnesHaveNone() {
        assertThat(EventProducers.types())
                .allSatisfy(type -> assertThat(EventProducers.producersOf(type).isEmpty())
                        .as(type)
                        .isEqualTo(EventProducers.DIRECT.contains(type)));
    }

    @ParameterizedTest
    @EnumSource(names = {"BACKGROUND_JOBS_WORKER", "INTEGRITY_SCANNER"})
    void aBatchJobPublishesNoneOfTheEventsThatRemoveOrCommandAnything(Producer job) {
        assertThat(EventProducers.typesOf(job))
                .isNotEmpty()
                .isSubsetOf(EventProducers.typesOfSource(job.source()))
                .doesNotContain(
                        "ConnectorPinged",
                        "VaultDeleted",
                        "RecoveryPointDeleted",
                        "RecoveryPointExpired",
                        "RecoveryPointScanned",
                        "JobCancelRequested",
                        "JobCreated",
                        "PolicyChanged",
                        "PolicyDeleted");
    }

    @Test
    void theScannerMayNotPublishWhatDecidesTheFateOfBackups() {
        assertThat(EventProducers.typesOf(Producer.INTEGRITY_SCANNER))
                .containsExactlyInAnyOrder("ScanReported", "JobStarted", "JobProgressed", "JobFailed");
        assertThat(EventProducers.sourcesOf("RecoveryPointExpired")).containsExactly("cloudconnector.catalog");
        assertThat(EventProducers.sourcesOf("VaultDeleted")).containsExactly("cloudconnector.catalog");
        assertThat(EventProducers.sourcesOf("JobCancelRequested")).containsExactly("cloudconnector.jobstatus");
    }

    @Test
    void aSourceMayProduceWhatItsProducersMay() {
        assertThat(EventProducers.mayProduce("cloudconnector.background-jobs", "VaultPruned"))
                .isTrue();
        assertThat(EventProducers.mayProduce("cloudconnector.catalog", "VaultPruned"))
                .isFalse();
        assertThat(EventProducers.mayProduce("cloudconnector.integrity", "PolicyTick"))
                .isFalse();
        assertThat(EventProducers.mayProduce("cloudconnector.catalog", "NoSuchEvent"))
                .isFalse();
        assertThat(EventProducers.typesOfSource("cloudconnector.jobstatus"))
                .containsExactly("ConnectorPinged", "JobCancelRequested");
        assertThat(EventProducers.sources()).hasSize(6);
    }
}
