package io.cloudconnector.scalez.maintenance;

import io.cloudconnector.scalez.model.RecoveryPoint;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/** Applies a {@link RetentionPolicy} the way restic does: each rule keeps the newest point of each of its buckets. */
public final class Retention {

    private Retention() {}

    /** Ids to keep; recovery points are grouped by kind and source and each group is judged alone. */
    public static Set<String> keep(List<RecoveryPoint> points, RetentionPolicy policy) {
        var groups = new LinkedHashMap<String, List<RecoveryPoint>>();
        for (var p : points) {
            groups.computeIfAbsent(p.kind() + "\u0000" + p.source(), k -> new ArrayList<>())
                    .add(p);
        }
        var keep = new HashSet<String>();
        for (var group : groups.values()) {
            group.sort(Comparator.comparing(RecoveryPoint::time)
                    .thenComparing(RecoveryPoint::id)
                    .reversed());
            for (int i = 0; i < Math.min(policy.last(), group.size()); i++) {
                keep.add(group.get(i).id());
            }
            rule(group, policy.hourly(), p -> utc(p).toLocalDate() + "T" + utc(p).getHour(), keep);
            rule(group, policy.daily(), p -> utc(p).toLocalDate(), keep);
            rule(
                    group,
                    policy.weekly(),
                    p -> utc(p).get(IsoFields.WEEK_BASED_YEAR) + "W" + utc(p).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR),
                    keep);
            rule(group, policy.monthly(), p -> utc(p).getYear() + "-" + utc(p).getMonthValue(), keep);
            rule(group, policy.yearly(), p -> utc(p).getYear(), keep);
        }
        return keep;
    }

    private static java.time.ZonedDateTime utc(RecoveryPoint p) {
        return p.time().atZone(ZoneOffset.UTC);
    }

    private static void rule(
            List<RecoveryPoint> newestFirst, int count, Function<RecoveryPoint, Object> bucket, Set<String> keep) {
        Object last = null;
        int left = count;
        for (var p : newestFirst) {
            if (left == 0) {
                return;
            }
            var b = bucket.apply(p);
            if (!Objects.equals(b, last)) {
                keep.add(p.id());
                last = b;
                left--;
            }
        }
    }
}
