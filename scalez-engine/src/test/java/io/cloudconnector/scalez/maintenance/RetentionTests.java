package io.cloudconnector.scalez.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.model.RecoveryPoint;
import io.cloudconnector.scalez.model.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RetentionTests {

    /** One point every 6 hours for 40 days from Monday 2026-01-05, ids rp-000 (oldest) to rp-159. */
    private static List<RecoveryPoint> points(String source) {
        var start = Instant.parse("2026-01-05T00:00:00Z");
        var out = new ArrayList<RecoveryPoint>();
        for (int i = 0; i < 160; i++) {
            out.add(new RecoveryPoint(
                    String.format("%s-%03d", source, i),
                    SourceKind.BLOCK,
                    start.plus(Duration.ofHours(6L * i)),
                    null,
                    source,
                    Map.of(),
                    0,
                    0,
                    0,
                    Duration.ZERO));
        }
        return out;
    }

    static Stream<Arguments> policies() {
        return Stream.of(
                Arguments.of(RetentionPolicy.none().withLast(3), List.of(159, 158, 157)),
                // Newest of each of the last 2 days (points 4 per day: 156..159 is the last day).
                Arguments.of(RetentionPolicy.none().withDaily(2), List.of(159, 155)),
                Arguments.of(RetentionPolicy.none().withHourly(2), List.of(159, 158)),
                // 2026-01-05 is a Monday: weeks hold 28 points; the last, partial week ends at 159.
                Arguments.of(RetentionPolicy.none().withWeekly(3), List.of(159, 139, 111)),
                // January has 27 days from the 5th (points 0..107), February the rest.
                Arguments.of(RetentionPolicy.none().withMonthly(5), List.of(159, 107)),
                Arguments.of(RetentionPolicy.none().withYearly(1), List.of(159)),
                Arguments.of(RetentionPolicy.none().withLast(1).withDaily(3), List.of(159, 155, 151)),
                Arguments.of(RetentionPolicy.none().withLast(2).withWeekly(2), List.of(159, 158, 139)));
    }

    @ParameterizedTest
    @MethodSource("policies")
    void keepsTheNewestPointOfEachBucket(RetentionPolicy policy, List<Integer> expected) {
        var keep = Retention.keep(points("a"), policy);
        assertThat(keep)
                .containsExactlyInAnyOrderElementsOf(
                        expected.stream().map(i -> String.format("a-%03d", i)).toList());
    }

    @ParameterizedTest
    @MethodSource("policies")
    void eachSourceIsJudgedAlone(RetentionPolicy policy, List<Integer> expected) {
        var all = new ArrayList<>(points("a"));
        all.addAll(points("b"));
        assertThat(Retention.keep(all, policy)).hasSize(2 * expected.size());
    }
}
