package io.cloudconnector.scalez.maintenance;

import io.cloudconnector.scalez.model.RecoveryPoint;

/**
 * Which recovery points {@code forget} keeps, per source: the newest {@code last}, and the newest one in each of
 * the last N hours, days, ISO weeks, months and years that have one (UTC). Zero disables a rule.
 */
public record RetentionPolicy(int last, int hourly, int daily, int weekly, int monthly, int yearly) {

    public RetentionPolicy {
        if (last < 0 || hourly < 0 || daily < 0 || weekly < 0 || monthly < 0 || yearly < 0) {
            throw new IllegalArgumentException("Retention counts cannot be negative");
        }
    }

    /** Keeps nothing: combine with the {@code with*} methods. */
    public static RetentionPolicy none() {
        return new RetentionPolicy(0, 0, 0, 0, 0, 0);
    }

    /** Whether no rule is set (forget refuses to drop everything by accident). */
    public boolean isEmpty() {
        return last + hourly + daily + weekly + monthly + yearly == 0;
    }

    /** With keep-last. */
    public RetentionPolicy withLast(int n) {
        return new RetentionPolicy(n, hourly, daily, weekly, monthly, yearly);
    }

    /** With keep-hourly. */
    public RetentionPolicy withHourly(int n) {
        return new RetentionPolicy(last, n, daily, weekly, monthly, yearly);
    }

    /** With keep-daily. */
    public RetentionPolicy withDaily(int n) {
        return new RetentionPolicy(last, hourly, n, weekly, monthly, yearly);
    }

    /** With keep-weekly. */
    public RetentionPolicy withWeekly(int n) {
        return new RetentionPolicy(last, hourly, daily, n, monthly, yearly);
    }

    /** With keep-monthly. */
    public RetentionPolicy withMonthly(int n) {
        return new RetentionPolicy(last, hourly, daily, weekly, n, yearly);
    }

    /** With keep-yearly. */
    public RetentionPolicy withYearly(int n) {
        return new RetentionPolicy(last, hourly, daily, weekly, monthly, n);
    }

    /**
     * The ids of {@code points} this policy keeps; points are grouped by kind and source, each group judged
     * alone (the catalog applies vault retention with it, grouping by asset).
     */
    public java.util.Set<String> keep(java.util.List<RecoveryPoint> points) {
        return Retention.keep(points, this);
    }
}
