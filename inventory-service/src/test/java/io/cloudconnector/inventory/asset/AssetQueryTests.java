package io.cloudconnector.inventory.asset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.inventory.asset.AssetQuery.TagFilter;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssetQueryTests {

    @Test
    void parsesEveryFilter() {
        var query = AssetQuery.parse(
                "ec2",
                "stopped",
                List.of("env:prod", "aws:cloudformation:stack-name:web"),
                "false",
                null,
                "20",
                "token");

        assertThat(query.type()).isEqualTo(AssetType.EC2);
        assertThat(query.state()).isEqualTo("stopped");
        assertThat(query.tags())
                .containsExactly(new TagFilter("env", "prod"), new TagFilter("aws:cloudformation:stack-name", "web"));
        assertThat(query.isProtected()).isFalse();
        assertThat(query.page().limit()).isEqualTo(20);
        assertThat(query.isFiltered()).isTrue();
    }

    @Test
    void noFiltersIsTheWholeListWithTheDefaultPage() {
        var query = AssetQuery.parse(null, null, null, null, null, null, null);

        assertThat(query.isFiltered()).isFalse();
        assertThat(query.page().limit()).isEqualTo(50);
    }

    @Test
    void anEmptyTagValueIsAValue() {
        assertThat(AssetQuery.parse(null, null, List.of("backup:"), null, null, null, null)
                        .tags())
                .containsExactly(new TagFilter("backup", ""));
    }

    @Test
    void namesEveryInvalidParameterAtOnce() {
        assertThatThrownBy(
                        () -> AssetQuery.parse("rds", "terminated", List.of("novalue", ":x"), "yes", null, "0", null))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldProblem::field)
                                .containsExactly("type", "state", "tag", "tag", "protected", "limit"));
    }

    @Test
    void aLimitThatIsNotANumberIsNamedToo() {
        assertThatThrownBy(() -> AssetQuery.parse(null, null, null, null, null, "ten", null))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.getMessage()).isEqualTo("limit: 'ten' is not a whole number"));
    }

    @Test
    void refusesMoreTagFiltersThanTheIndexQueryShouldCarry() {
        var tags = Collections.nCopies(AssetQuery.MAX_TAG_FILTERS + 1, "k:v");

        assertThatThrownBy(() -> AssetQuery.parse(null, null, tags, null, null, null, null))
                .isInstanceOfSatisfying(
                        InvalidInputException.class,
                        e -> assertThat(e.errors())
                                .extracting(FieldProblem::field)
                                .containsExactly("tag"));
    }

    @Test
    void theFingerprintIdentifiesTheFiltersNotTheirOrderOrThePage() {
        var query = AssetQuery.parse("ebs", null, List.of("a:1", "b:2"), "true", null, "10", null);

        assertThat(AssetQuery.parse("ebs", null, List.of("b:2", "a:1"), "true", null, "99", "t")
                        .fingerprint())
                .isEqualTo(query.fingerprint());
        assertThat(AssetQuery.parse("ebs", null, List.of("a:1", "b:2"), "false", null, "10", null)
                        .fingerprint())
                .isNotEqualTo(query.fingerprint());
        assertThat(AssetQuery.parse("ebs", null, List.of("a:1:b:2"), null, null, "10", null)
                        .fingerprint())
                .isNotEqualTo(AssetQuery.parse("ebs", null, List.of("a:1", "b:2"), null, null, "10", null)
                        .fingerprint());
    }
}
