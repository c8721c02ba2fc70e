package io.cloudconnector.backgroundjobs.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.cloudconnector.backgroundjobs.vault.Vault;
import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PolicyValidatorTests {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final String VAULT = "vlt-01jd3zrx5kq0m8yv5d3m0rz2j4";
    private static final String GONE = "vlt-01jd3zrx5kq0m8yv5d3m0rz2j5";
    private static final String VOLUME = "aws:ebs:123456789012:us-east-1:vol-0123456789abcdef0";

    private final VaultDirectory vaults = mock(VaultDirectory.class);
    private final PolicyValidator validator = new PolicyValidator(vaults, Duration.ofMinutes(15));

    PolicyValidatorTests() {
        when(vaults.find(VAULT)).thenReturn(Optional.of(new Vault(VAULT, "v", "us-east-1", "b", "k", true)));
        when(vaults.find(GONE)).thenReturn(Optional.of(new Vault(GONE, "v", "us-east-1", "b", "k", false)));
        when(vaults.find(org.mockito.ArgumentMatchers.argThat(id -> !VAULT.equals(id) && !GONE.equals(id))))
                .thenReturn(Optional.empty());
    }

    static PolicyRequest request(
            String vaultId, String expression, PolicyRequest.Selection selection, PolicyRequest.Retention retention) {
        return new PolicyRequest(
                "nightly",
                vaultId,
                new PolicyRequest.Schedule(expression, null, null),
                selection,
                retention,
                null,
                null,
                null);
    }

    private static PolicyRequest.Selection byTag() {
        return new PolicyRequest.Selection(null, Map.of("backup", "daily"), null);
    }

    @Test
    void aValidRequestBecomesAPolicyWithDefaults() {
        var policy = validator.check(request(VAULT, "rate(1 hour)", byTag(), null), "pol-1", 1, NOW, NOW, null);

        assertThat(policy.schedule()).isEqualTo(new Policy.Schedule("rate(1 hour)", "UTC", 60));
        assertThat(policy.intervalMinutes()).isEqualTo(60);
        assertThat(policy.paused()).isFalse();
        assertThat(policy.scan()).isFalse();
        assertThat(policy.retention()).isNull();
        assertThat(policy.scheduleAnchor()).isEqualTo(NOW);
    }

    @Test
    void aRestoreTestCadenceIsAnIsoDurationBetweenAnHourAndAYear() {
        assertThat(PolicyValidator.restoreTest(new PolicyRequest.RestoreTest("P7D"), new java.util.ArrayList<>()))
                .isEqualTo(new Policy.RestoreTest("P7D"));
        assertThat(PolicyValidator.restoreTest(null, new java.util.ArrayList<>()))
                .isNull();
        for (String bad : new String[] {"P1M", "7 days", "PT10M", "P400D", "", "-P7D"}) {
            List<FieldProblem> errors = new java.util.ArrayList<>();
            assertThat(PolicyValidator.restoreTest(new PolicyRequest.RestoreTest(bad), errors))
                    .as(bad)
                    .isNull();
            assertThat(errors).as(bad).extracting(FieldProblem::field).containsExactly("restoreTest.every");
        }
        List<FieldProblem> errors = new java.util.ArrayList<>();
        assertThat(PolicyValidator.restoreTest(new PolicyRequest.RestoreTest(null), errors))
                .isNull();
        assertThat(errors).hasSize(1);
    }

    @Test
    void everyFieldAtFaultIsNamedAtOnce() {
        var bad = new PolicyRequest(
                " ",
                "vault-1",
                new PolicyRequest.Schedule("rate(5 weeks)", "Mars/Olympus", 0),
                new PolicyRequest.Selection(List.of("vol-1"), null, List.of("rds")),
                new PolicyRequest.Retention(null, null, null, null, null, null),
                null,
                null,
                null);

        var e = catchThrowableOfType(
                InvalidInputException.class, () -> validator.check(bad, "pol-1", 1, NOW, NOW, null));

        assertThat(e.errors())
                .extracting(FieldProblem::field)
                .containsExactlyInAnyOrder(
                        "name",
                        "vaultId",
                        "schedule.timezone",
                        "schedule.startWindowMinutes",
                        "schedule.expression",
                        "selection.assetIds[0]",
                        "selection.types[0]",
                        "retention");
    }

    @Test
    void aBadExpressionCarriesItsReason() {
        var e = catchThrowableOfType(
                InvalidInputException.class,
                () -> validator.check(request(VAULT, "cron(0 3 * * * *)", byTag(), null), "p", 1, NOW, NOW, null));
        assertThat(e.errors()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("schedule.expression");
            assertThat(p.message()).contains("exactly one of day-of-month and day-of-week must be '?'");
        });
    }

    @Test
    void anIntervalBelowTheMinimumIsRefused() {
        var e = catchThrowableOfType(
                InvalidInputException.class,
                () -> validator.check(request(VAULT, "rate(5 minutes)", byTag(), null), "p", 1, NOW, NOW, null));
        assertThat(e.errors()).singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("schedule.expression");
            assertThat(p.message()).contains("every 5 minutes").contains("15 minutes");
        });
        var cron = catchThrowableOfType(
                InvalidInputException.class,
                () -> validator.check(request(VAULT, "cron(0/5 * * * ? *)", byTag(), null), "p", 1, NOW, NOW, null));
        assertThat(cron.errors()).extracting(FieldProblem::field).containsExactly("schedule.expression");
        // A lower minimum (connector.policies.min-interval) lets it through.
        var local = new PolicyValidator(vaults, Duration.ofMinutes(1));
        assertThat(local.check(request(VAULT, "rate(1 minute)", byTag(), null), "p", 1, NOW, NOW, null)
                        .intervalMinutes())
                .isEqualTo(1);
    }

    @Test
    void anEmptySelectionIsRefused() {
        for (var selection : new PolicyRequest.Selection[] {
            null, new PolicyRequest.Selection(List.of(), Map.of(), List.of("ebs")),
        }) {
            var e = catchThrowableOfType(
                    InvalidInputException.class,
                    () -> validator.check(request(VAULT, "rate(1 hour)", selection, null), "p", 1, NOW, NOW, null));
            assertThat(e.errors()).extracting(FieldProblem::field).containsExactly("selection");
        }
    }

    @Test
    void anUnknownVaultIsA400AndADeletedOneA409() {
        var unknown = catchThrowableOfType(
                InvalidInputException.class,
                () -> validator.check(
                        request("vlt-01jd3zrx5kq0m8yv5d3m0rz2j6", "rate(1 hour)", byTag(), null),
                        "p",
                        1,
                        NOW,
                        NOW,
                        null));
        assertThat(unknown.errors()).extracting(FieldProblem::field).containsExactly("vaultId");
        var deleted = catchThrowableOfType(
                ConflictException.class,
                () -> validator.check(request(GONE, "rate(1 hour)", byTag(), null), "p", 1, NOW, NOW, null));
        assertThat(deleted.errors()).extracting(FieldProblem::field).containsExactly("vaultId");
    }

    @Test
    void retentionNeedsARuleThatKeepsSomething() {
        var none = catchThrowableOfType(
                InvalidInputException.class,
                () -> validator.check(
                        request(
                                VAULT,
                                "rate(1 hour)",
                                byTag(),
                                new PolicyRequest.Retention(0, 0, null, null, null, null)),
                        "p",
                        1,
                        NOW,
                        NOW,
                        null));
        assertThat(none.errors()).extracting(FieldProblem::field).containsExactly("retention");
        var negative = catchThrowableOfType(
                InvalidInputException.class,
                () -> validator.check(
                        request(
                                VAULT,
                                "rate(1 hour)",
                                byTag(),
                                new PolicyRequest.Retention(-1, null, 7, null, null, null)),
                        "p",
                        1,
                        NOW,
                        NOW,
                        null));
        assertThat(negative.errors()).extracting(FieldProblem::field).containsExactly("retention.keepLast");
        var kept = validator.check(
                request(VAULT, "rate(1 hour)", byTag(), new PolicyRequest.Retention(null, null, 7, 4, null, null)),
                "p",
                1,
                NOW,
                NOW,
                null);
        assertThat(kept.retention()).isEqualTo(new Policy.Retention(null, null, 7, 4, null, null));
    }

    @Test
    void aSelectionMatchesByIdOrByAllItsTagsWithinItsTypes() {
        var selection = new Policy.Selection(List.of(VOLUME), Map.of("backup", "daily", "env", "prod"), List.of("ebs"));

        assertThat(selection.selects(VOLUME, "ebs", Map.of())).isTrue();
        assertThat(selection.selects("aws:ebs:1:r:vol-2", "ebs", Map.of("backup", "daily", "env", "prod")))
                .isTrue();
        assertThat(selection.selects("aws:ebs:1:r:vol-2", "ebs", Map.of("backup", "daily")))
                .isFalse();
        assertThat(selection.selects("aws:ec2:1:r:i-2", "ec2", Map.of("backup", "daily", "env", "prod")))
                .isFalse();
    }

    @Test
    void theAnchorMovesOnlyWhenTheScheduleChanges() {
        var first = validator.check(request(VAULT, "rate(1 hour)", byTag(), null), "p", 1, NOW, NOW, null);
        var later = NOW.plus(Duration.ofMinutes(20));
        var renamed = validator.check(
                new PolicyRequest(
                        "renamed",
                        VAULT,
                        new PolicyRequest.Schedule("rate(1 hour)", null, null),
                        byTag2(),
                        null,
                        null,
                        null,
                        null),
                "p",
                2,
                NOW,
                later,
                first);
        assertThat(renamed.scheduleAnchor()).isEqualTo(NOW);
        var rescheduled = validator.check(request(VAULT, "rate(2 hours)", byTag(), null), "p", 3, NOW, later, renamed);
        assertThat(rescheduled.scheduleAnchor()).isEqualTo(later);
    }

    private static PolicyRequest.Selection byTag2() {
        return new PolicyRequest.Selection(null, Map.of("backup", "weekly"), null);
    }
}
