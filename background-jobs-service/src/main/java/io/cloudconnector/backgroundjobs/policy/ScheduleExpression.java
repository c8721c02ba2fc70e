package io.cloudconnector.backgroundjobs.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.support.CronExpression;

/**
 * A schedule in EventBridge Scheduler's syntax: {@code rate(<n> minute|minutes|hour|hours|day|days)} or
 * {@code cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)} (one of the two day fields {@code ?},
 * days of the week 1-7 from Sunday or SUN-SAT, {@code L}, {@code W} and {@code #} as AWS defines them). A rate runs
 * every interval from its anchor (when the schedule was set, as Scheduler starts a rate at creation); a cron runs at
 * its times in its time zone.
 */
final class ScheduleExpression {

    private static final Pattern RATE = Pattern.compile("rate\\((\\d{1,6}) ([a-z]+)\\)");
    private static final Pattern CRON = Pattern.compile("cron\\((.*)\\)");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    /** Cron times sampled (at most, and over at most a year) to find the shortest and longest gap between runs. */
    private static final int SAMPLES = 20_000;

    private final String text;
    private final ZoneId zone;
    private final @Nullable Duration rate;
    private final @Nullable CronExpression cron;
    private final @Nullable YearField years;

    private ScheduleExpression(
            String text,
            ZoneId zone,
            @Nullable Duration rate,
            @Nullable CronExpression cron,
            @Nullable YearField years) {
        this.text = text;
        this.zone = zone;
        this.rate = rate;
        this.cron = cron;
        this.years = years;
    }

    /**
     * Parses an expression.
     *
     * @throws IllegalArgumentException with the reason, fit to show the caller
     */
    static ScheduleExpression parse(String text, ZoneId zone) {
        var rate = RATE.matcher(text);
        if (rate.matches()) {
            long value = Long.parseLong(rate.group(1));
            String unit = rate.group(2);
            if (value < 1) {
                throw new IllegalArgumentException("a rate's value must be a positive whole number");
            }
            String singular = unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
            var duration = switch (singular) {
                case "minute" -> Duration.ofMinutes(value);
                case "hour" -> Duration.ofHours(value);
                case "day" -> Duration.ofDays(value);
                default ->
                    throw new IllegalArgumentException(
                            "a rate's unit is minute(s), hour(s) or day(s), not '" + unit + "'");
            };
            if ((value == 1) != unit.equals(singular)) {
                throw new IllegalArgumentException("write rate(1 " + singular + ") for one and rate(" + value + " "
                        + singular + "s) for more (EventBridge Scheduler refuses the other forms)");
            }
            return new ScheduleExpression(text, zone, duration, null, null);
        }
        var cron = CRON.matcher(text);
        if (cron.matches()) {
            return cron(text, cron.group(1).trim(), zone);
        }
        throw new IllegalArgumentException(
                "must be rate(<value> <unit>) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)");
    }

    private static ScheduleExpression cron(String text, String body, ZoneId zone) {
        String[] fields = body.split("\\s+");
        if (fields.length != 6) {
            throw new IllegalArgumentException("a cron expression has 6 fields (minutes hours day-of-month month "
                    + "day-of-week year), this one has " + fields.length);
        }
        boolean dayOfMonthAny = fields[2].equals("?");
        boolean dayOfWeekAny = fields[4].equals("?");
        if (dayOfMonthAny == dayOfWeekAny) {
            throw new IllegalArgumentException(
                    "exactly one of day-of-month and day-of-week must be '?' (the other names the days)");
        }
        var years = YearField.parse(fields[5]);
        String spring = String.join(
                " ", "0", fields[0], fields[1], fields[2], fields[3], dayOfWeekAny ? "?" : dayOfWeek(fields[4]));
        CronExpression expression;
        try {
            expression = CronExpression.parse(spring);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid cron expression: " + reason(e));
        }
        var parsed = new ScheduleExpression(text, zone, null, expression, years);
        return parsed;
    }

    private static String reason(IllegalArgumentException e) {
        String message = String.valueOf(e.getMessage());
        // Spring names the field by its own (seconds-first) position; the text after it is the useful part.
        int colon = message.indexOf(':');
        return colon >= 0 ? message.substring(colon + 1).strip() : message;
    }

    /** AWS numbers days of the week 1 (Sunday) to 7; Spring 0 (Sunday) to 6 (and 7). */
    private static String dayOfWeek(String field) {
        List<String> parts = new ArrayList<>();
        for (String part : field.split(",", -1)) {
            int hash = part.indexOf('#');
            int slash = part.indexOf('/');
            if (hash >= 0) {
                parts.add(shiftDays(part.substring(0, hash)) + part.substring(hash));
            } else if (slash >= 0) {
                parts.add(shiftDays(part.substring(0, slash)) + part.substring(slash));
            } else {
                parts.add(shiftDays(part));
            }
        }
        return String.join(",", parts);
    }

    private static String shiftDays(String range) {
        var out = new StringBuilder();
        var numbers = NUMBER.matcher(range);
        int last = 0;
        while (numbers.find()) {
            int day = Integer.parseInt(numbers.group());
            if (day < 1 || day > 7) {
                throw new IllegalArgumentException(
                        "day-of-week " + day + " is out of range: days are 1 (SUN) to 7 (SAT), or SUN-SAT");
            }
            out.append(range, last, numbers.start()).append(day - 1);
            last = numbers.end();
        }
        return out.append(range.substring(last)).toString();
    }

    /** The expression as written. */
    String text() {
        return text;
    }

    /** The first run strictly after {@code after}, or null if the schedule never runs again. */
    @Nullable
    Instant next(Instant after, Instant anchor) {
        if (rate != null) {
            if (after.isBefore(anchor)) {
                return anchor;
            }
            long periods = Duration.between(anchor, after).toMillis() / rate.toMillis() + 1;
            return anchor.plus(rate.multipliedBy(periods));
        }
        var expression = java.util.Objects.requireNonNull(cron);
        var yearField = java.util.Objects.requireNonNull(years);
        ZonedDateTime at = after.atZone(zone);
        for (int guard = 0; guard < 10_000; guard++) {
            ZonedDateTime next = expression.next(at);
            if (next == null || next.getYear() > YearField.MAX) {
                return null;
            }
            if (yearField.matches(next.getYear())) {
                return next.toInstant();
            }
            Integer year = yearField.firstFrom(next.getYear());
            if (year == null) {
                return null;
            }
            at = ZonedDateTime.of(year, 1, 1, 0, 0, 0, 0, zone).minusSeconds(1);
        }
        return null;
    }

    /** The last run at or before {@code now} and after {@code since}, or null if there is none. */
    @Nullable
    Instant latestDue(Instant since, Instant now, Instant anchor) {
        if (rate != null) {
            if (now.isBefore(anchor)) {
                return null;
            }
            long periods = Duration.between(anchor, now).toMillis() / rate.toMillis();
            if (periods < 1) {
                // A rate's first run is one interval after it was set, not at once.
                return null;
            }
            var due = anchor.plus(rate.multipliedBy(periods));
            return due.isAfter(since) ? due : null;
        }
        // Cron: walk forward from the later of since and a year before now (older runs are long out of any window).
        var from = since.isBefore(now.minus(Duration.ofDays(366))) ? now.minus(Duration.ofDays(366)) : since;
        Instant due = null;
        for (var next = next(from, anchor); next != null && !next.isAfter(now); next = next(next, anchor)) {
            due = next;
        }
        return due;
    }

    /** The shortest time between two runs (what {@code connector.policies.min-interval} is checked against). */
    Duration shortestInterval(Instant from) {
        return gaps(from).getFirst();
    }

    /** The longest time between two runs (what the inventory's recovery point objective is based on). */
    Duration longestInterval(Instant from) {
        return gaps(from).getLast();
    }

    private List<Duration> gaps(Instant from) {
        if (rate != null) {
            return List.of(rate, rate);
        }
        List<Duration> gaps = new ArrayList<>();
        Instant previous = next(from, from);
        if (previous == null) {
            throw new IllegalArgumentException("never runs after " + from);
        }
        Instant until = previous.plus(Duration.ofDays(366));
        for (int i = 0; i < SAMPLES && previous.isBefore(until); i++) {
            Instant next = next(previous, from);
            if (next == null) {
                break;
            }
            gaps.add(Duration.between(previous, next));
            previous = next;
        }
        if (gaps.isEmpty()) {
            // A single run left: no interval to speak of; treat it as a year apart.
            gaps.add(Duration.ofDays(365));
        }
        gaps.sort(null);
        return gaps;
    }

    @Override
    public String toString() {
        return text;
    }

    /** The year field of an AWS cron expression: {@code *}, or years and ranges (with steps) from 1970 to 2199. */
    record YearField(boolean any, List<int[]> ranges) {

        static final int MIN = 1970;
        static final int MAX = 2199;

        static YearField parse(String field) {
            if (field.equals("*") || field.equals("?")) {
                return new YearField(true, List.of());
            }
            List<int[]> ranges = new ArrayList<>();
            for (String part : field.split(",", -1)) {
                int step = 1;
                String range = part;
                int slash = part.indexOf('/');
                if (slash >= 0) {
                    step = number(part.substring(slash + 1));
                    range = part.substring(0, slash);
                    if (step < 1) {
                        throw new IllegalArgumentException("the year step must be positive");
                    }
                }
                int from;
                int to;
                int dash = range.indexOf('-');
                if (range.equals("*")) {
                    from = MIN;
                    to = MAX;
                } else if (dash >= 0) {
                    from = number(range.substring(0, dash));
                    to = number(range.substring(dash + 1));
                } else {
                    from = number(range);
                    to = slash >= 0 ? MAX : from;
                }
                if (from < MIN || to > MAX || from > to) {
                    throw new IllegalArgumentException(
                            "year '" + part + "' is out of range: years are " + MIN + " to " + MAX);
                }
                ranges.add(new int[] {from, to, step});
            }
            return new YearField(false, ranges);
        }

        private static int number(String text) {
            if (!NUMBER.matcher(text).matches()) {
                throw new IllegalArgumentException("year '" + text.toUpperCase(Locale.ROOT) + "' is not a number");
            }
            return Integer.parseInt(text);
        }

        boolean matches(int year) {
            return any || ranges.stream().anyMatch(r -> year >= r[0] && year <= r[1] && (year - r[0]) % r[2] == 0);
        }

        @Nullable
        Integer firstFrom(int year) {
            for (int y = year; y <= MAX; y++) {
                if (matches(y)) {
                    return y;
                }
            }
            return null;
        }
    }
}
