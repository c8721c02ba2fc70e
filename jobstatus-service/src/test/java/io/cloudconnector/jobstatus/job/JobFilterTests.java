package io.cloudconnector.jobstatus.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobFilterTests {

    private static final String VAULT = io.cloudconnector.common.id.Ids.vault();

    @Test
    void parsesEveryCriterion() {
        var filter = JobFilter.parse(
                "running",
                "ebs-backup",
                VAULT,
                "aws:ebs:1:us-east-1:vol-1",
                "pol-nightly",
                "2026-11-26T10:00:00Z",
                "2026-11-27T10:00:00Z",
                "20",
                null);

        assertThat(filter)
                .isEqualTo(new JobFilter(
                        JobState.RUNNING,
                        JobKind.EBS_BACKUP,
                        VAULT,
                        "aws:ebs:1:us-east-1:vol-1",
                        "pol-nightly",
                        Instant.parse("2026-11-26T10:00:00Z"),
                        Instant.parse("2026-11-27T10:00:00Z"),
                        new io.cloudconnector.common.web.PageRequest(20, null)));
    }

    @Test
    void blankCriteriaMeanAny() {
        var filter = JobFilter.parse("", " ", null, "", " ", null, "", null, "");

        assertThat(filter.state()).isNull();
        assertThat(filter.kind()).isNull();
        assertThat(filter.to()).isNull();
        assertThat(filter.page().limit()).isEqualTo(50);
    }

    @Test
    void namesEveryInvalidParameterAtOnce() {
        assertThatThrownBy(() ->
                        JobFilter.parse("paused", "backup", "vault-1", null, "pol 1", "yesterday", null, "0", "%%%"))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldProblem::field)
                                .containsExactly("state", "kind", "vaultId", "policyId", "from", "limit"));
    }

    @Test
    void refusesAnEmptyTimeRange() {
        assertThatThrownBy(() -> JobFilter.parse(
                        null, null, null, null, null, "2026-11-27T00:00:00Z", "2026-11-26T00:00:00Z", null, null))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .containsExactly(new FieldProblem("from", "must not be after 'to'")));
    }

    @Test
    void pageTokensRoundTripAndRefuseForgeries() {
        var id = "j-01JD3ZRX5KQ0M8YV5D3M0RZ2J4";

        assertThat(JobFilter.pageTokenJobId(JobFilter.pageTokenOf(id))).isEqualTo(id);
        assertThat(JobFilter.parse(null, null, null, null, null, null, null, null, JobFilter.pageTokenOf(id))
                        .page()
                        .pageToken())
                .isEqualTo(JobFilter.pageTokenOf(id));
        for (var forged :
                new String[] {"not base64!", JobFilter.pageTokenOf("EVENT#x"), JobFilter.pageTokenOf("j-1")}) {
            assertThatThrownBy(() -> JobFilter.pageTokenJobId(forged))
                    .isInstanceOfSatisfying(
                            InvalidInputException.class,
                            e -> assertThat(e.errors().getFirst().field()).isEqualTo("pageToken"));
        }
    }

    @Test
    void aTimeRangeBoundsTheIdsCreatedInIt() {
        var at = Instant.parse("2026-11-26T10:00:00Z");
        var idThen = "j-" + com.github.f4b6a3.ulid.Ulid.min(at.toEpochMilli()).increment();

        assertThat(JobFilter.lowestIdAt(at)).isLessThanOrEqualTo(idThen);
        assertThat(JobFilter.highestIdAt(at)).isGreaterThanOrEqualTo(idThen);
        assertThat(JobFilter.highestIdAt(at.minusMillis(1))).isLessThan(idThen);
        assertThat(JobFilter.lowestIdAt(at.plusMillis(1))).isGreaterThan(idThen);
    }
}
