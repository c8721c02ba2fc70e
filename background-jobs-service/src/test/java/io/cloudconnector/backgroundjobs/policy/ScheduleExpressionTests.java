package io.cloudconnector.backgroundjobs.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleExpressionTests {

    private static final Instant T0 = Instant.parse("2026-12-07T10:07:00Z");

    @Test
    void aRateRunsEveryIntervalFromItsAnchor() {
        var rate = ScheduleExpression.parse("rate(15 minutes)", ZoneOffset.UTC);

        assertThat(rate.next(T0, T0)).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        assertThat(rate.next(T0.plusSeconds(60), T0)).isEqualTo(T0.plus(Duration.ofMinutes(15)));
        assertThat(rate.latestDue(T0, T0.plus(Duration.ofMinutes(50)), T0)).isEqualTo(T0.plus(Duration.ofMinutes(45)));
        assertThat(rate.latestDue(T0.plus(Duration.ofMinutes(45)), T0.plus(Duration.ofMinutes(50)), T0))
                .isNull();
        // The first run is one interval after the anchor, not at once.
        assertThat(rate.latestDue(T0.minusMillis(1), T0.plus(Duration.ofMinutes(10)), T0))
                .isNull();
        assertThat(rate.shortestInterval(T0)).isEqualTo(Duration.ofMinutes(15));
        assertThat(ScheduleExpression.parse("rate(1 day)", ZoneOffset.UTC).longestInterval(T0))
                .isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aCronRunsAtItsTimesInItsTimeZone() {
        var nightly = ScheduleExpression.parse("cron(0 3 * * ? *)", ZoneId.of("Europe/Berlin"));

        // 03:00 in Berlin is 02:00 UTC in winter.
        assertThat(nightly.next(T0, T0)).isEqualTo(Instant.parse("2026-12-08T02:00:00Z"));
        assertThat(nightly.shortestInterval(T0)).isEqualTo(Duration.ofHours(23)); // the spring DST change
        assertThat(nightly.longestInterval(T0)).isEqualTo(Duration.ofHours(25)); // and the autumn one
    }

    @Test
    void daysOfTheWeekCountFromSundayAsInAws() {
        // 2 = Monday in AWS (1 = Sunday); 2026-12-07 is a Monday.
        var mondays = ScheduleExpression.parse("cron(0 12 ? * 2 *)", ZoneOffset.UTC);
        assertThat(mondays.next(T0, T0)).isEqualTo(Instant.parse("2026-12-07T12:00:00Z"));
        var weekdays = ScheduleExpression.parse("cron(30 8 ? * MON-FRI *)", ZoneOffset.UTC);
        assertThat(weekdays.longestInterval(T0)).isEqualTo(Duration.ofHours(72));
        var lastFriday = ScheduleExpression.parse("cron(0 0 ? * 6L *)", ZoneOffset.UTC);
        assertThat(lastFriday.next(T0, T0)).isEqualTo(Instant.parse("2026-12-25T00:00:00Z"));
        var thirdSunday = ScheduleExpression.parse("cron(0 0 ? * 1#3 *)", ZoneOffset.UTC);
        assertThat(thirdSunday.next(T0, T0)).isEqualTo(Instant.parse("2026-12-20T00:00:00Z"));
    }

    @Test
    void theYearFieldLimitsTheRuns() {
        var nextYear = ScheduleExpression.parse("cron(0 0 1 1 ? 2028)", ZoneOffset.UTC);
        assertThat(nextYear.next(T0, T0)).isEqualTo(Instant.parse("2028-01-01T00:00:00Z"));
        assertThat(nextYear.next(Instant.parse("2028-01-01T00:00:00Z"), T0)).isNull();
        var past = ScheduleExpression.parse("cron(0 0 1 1 ? 2020)", ZoneOffset.UTC);
        assertThatThrownBy(() -> past.shortestInterval(T0)).hasMessageContaining("never runs");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "rate(5 weeks)             | unit",
                "rate(0 minutes)           | positive",
                "rate(1 minutes)           | rate(1 minute)",
                "rate(15 minute)           | rate(15 minutes)",
                "at(2026-12-07T10:00:00)   | must be rate",
                "cron(0 3 * * *)           | 6 fields",
                "cron(0 3 * * * *)         | exactly one of day-of-month and day-of-week",
                "cron(0 3 ? * ? *)         | exactly one of day-of-month and day-of-week",
                "cron(61 3 * * ? *)        | not a valid cron expression",
                "cron(0 3 ? * 8 *)         | day-of-week 8",
                "cron(0 3 * * ? 1900)      | year",
                "every day                 | must be rate",
            })
    void aBadExpressionIsRefusedWithItsReason(String expression, String reason) {
        assertThatThrownBy(() -> ScheduleExpression.parse(expression, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}
