package io.cloudconnector.backgroundjobs.policy;

import io.cloudconnector.backgroundjobs.vault.VaultDirectory;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Checks a {@link PolicyRequest} and turns it into a {@link Policy}: every field at fault is named in one 400
 * problem; a deleted vault is a 409.
 */
final class PolicyValidator {

    static final int DEFAULT_START_WINDOW = 60;
    private static final Pattern ASSET_ID = Pattern.compile("aws:(ebs|ec2):\\d{12}:[a-z0-9-]+:(vol|i)-[0-9a-f]{8,17}");
    private static final Pattern VAULT_ID = Pattern.compile("vlt-[0-9a-hjkmnp-tv-z]{26}");
    private static final List<String> TYPES = List.of("ebs", "ec2");

    private final VaultDirectory vaults;
    private final Duration minInterval;

    PolicyValidator(VaultDirectory vaults, Duration minInterval) {
        this.vaults = vaults;
        this.minInterval = minInterval;
    }

    /** What a valid request describes, as a policy {@code id} at {@code version}. */
    Policy check(
            PolicyRequest request, String id, long version, Instant createdAt, Instant now, @Nullable Policy previous) {
        List<FieldProblem> errors = new ArrayList<>();
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            errors.add(new FieldProblem("name", "must be 1 to 100 characters"));
        }
        var schedule = schedule(request.schedule(), now, errors);
        var selection = selection(request.selection(), errors);
        var retention = retention(request.retention(), errors);
        var restoreTest = restoreTest(request.restoreTest(), errors);
        String vaultId = request.vaultId() == null ? "" : request.vaultId().strip();
        boolean vaultDeleted = false;
        if (!VAULT_ID.matcher(vaultId).matches()) {
            errors.add(new FieldProblem("vaultId", "must be a vault id, vlt-…"));
        } else {
            var vault = vaults.find(vaultId);
            if (vault.isEmpty()) {
                errors.add(new FieldProblem("vaultId", "no vault " + vaultId + " in this connector"));
            } else {
                vaultDeleted = !vault.get().active();
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (vaultDeleted) {
            throw new ConflictException("vaultId", "Vault " + vaultId + " is deleted and takes no backups");
        }
        var parsed = Objects.requireNonNull(schedule).parsed();
        boolean paused = Boolean.TRUE.equals(request.paused());
        // The schedule's anchor moves only when the schedule changes: a rate keeps its rhythm across other edits.
        Instant anchor = previous != null && previous.schedule().equals(schedule) ? previous.scheduleAnchor() : now;
        return new Policy(
                id,
                name,
                vaultId,
                schedule,
                Objects.requireNonNull(selection),
                retention,
                Boolean.TRUE.equals(request.scan()),
                paused,
                paused ? Policy.PAUSED_BY_USER : null,
                version,
                createdAt,
                now,
                anchor,
                Math.max(1, parsed.longestInterval(now).toMinutes()),
                restoreTest);
    }

    /** At least an hour (a test reads the whole point), at most a year. */
    static Policy.@Nullable RestoreTest restoreTest(
            PolicyRequest.@Nullable RestoreTest restoreTest, List<FieldProblem> errors) {
        if (restoreTest == null) {
            return null;
        }
        String every = restoreTest.every() == null ? "" : restoreTest.every().strip();
        Duration interval;
        try {
            interval = Duration.parse(every);
        } catch (DateTimeException e) {
            errors.add(new FieldProblem(
                    "restoreTest.every", "must be an ISO-8601 duration in days, hours or minutes, such as P7D"));
            return null;
        }
        if (interval.compareTo(Duration.ofHours(1)) < 0 || interval.compareTo(Duration.ofDays(366)) > 0) {
            errors.add(new FieldProblem("restoreTest.every", "must be between PT1H and P366D"));
            return null;
        }
        return new Policy.RestoreTest(every);
    }

    private Policy.@Nullable Schedule schedule(
            PolicyRequest.@Nullable Schedule schedule, Instant now, List<FieldProblem> errors) {
        if (schedule == null) {
            errors.add(new FieldProblem("schedule", "is required: {\"expression\": \"rate(1 day)\"}"));
            return null;
        }
        String timezone = schedule.timezone() == null ? "UTC" : schedule.timezone();
        ZoneId zone = null;
        try {
            zone = ZoneId.of(timezone);
        } catch (DateTimeException e) {
            errors.add(new FieldProblem("schedule.timezone", "is not a time zone (e.g. UTC, Europe/Berlin)"));
        }
        int window = schedule.startWindowMinutes() == null ? DEFAULT_START_WINDOW : schedule.startWindowMinutes();
        if (window < 1 || window > 1440) {
            errors.add(new FieldProblem("schedule.startWindowMinutes", "must be between 1 and 1440"));
        }
        String expression =
                schedule.expression() == null ? "" : schedule.expression().strip();
        if (expression.isEmpty()) {
            errors.add(new FieldProblem("schedule.expression", "is required: rate(…) or cron(…)"));
            return null;
        }
        try {
            // With a bad time zone the expression is still checked (in UTC), so both are reported at once.
            var parsed = ScheduleExpression.parse(expression, zone == null ? java.time.ZoneOffset.UTC : zone);
            var shortest = parsed.shortestInterval(now);
            if (shortest.compareTo(minInterval) < 0) {
                errors.add(new FieldProblem(
                        "schedule.expression",
                        "runs every " + shortest.toMinutes() + " minutes; the shortest interval allowed is "
                                + minInterval.toMinutes() + " minutes"));
                return null;
            }
        } catch (IllegalArgumentException e) {
            errors.add(new FieldProblem("schedule.expression", String.valueOf(e.getMessage())));
            return null;
        }
        return zone == null ? null : new Policy.Schedule(expression, timezone, window);
    }

    private static Policy.@Nullable Selection selection(
            PolicyRequest.@Nullable Selection selection, List<FieldProblem> errors) {
        List<String> assetIds = selection == null || selection.assetIds() == null ? List.of() : selection.assetIds();
        Map<String, String> tags = selection == null || selection.tags() == null ? Map.of() : selection.tags();
        List<String> types = selection == null || selection.types() == null ? List.of() : selection.types();
        if (assetIds.isEmpty() && tags.isEmpty()) {
            errors.add(new FieldProblem("selection", "must name assetIds or tags (or both)"));
            return null;
        }
        int before = errors.size();
        for (int i = 0; i < assetIds.size(); i++) {
            String assetId = assetIds.get(i);
            if (assetId == null || !ASSET_ID.matcher(assetId).matches()) {
                errors.add(new FieldProblem(
                        "selection.assetIds[" + i + "]", "must be aws:ebs:<account>:<region>:vol-… or aws:ec2:…:i-…"));
            }
        }
        Map<String, String> cleanTags = new LinkedHashMap<>();
        tags.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.length() > 128 || value == null || value.length() > 256) {
                errors.add(new FieldProblem("selection.tags", "keys are 1 to 128 characters, values at most 256"));
            } else {
                cleanTags.put(key, value);
            }
        });
        for (int i = 0; i < types.size(); i++) {
            if (!TYPES.contains(types.get(i))) {
                errors.add(new FieldProblem("selection.types[" + i + "]", "must be ebs or ec2"));
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new Policy.Selection(
                assetIds.stream().distinct().toList(),
                cleanTags,
                types.stream().distinct().toList());
    }

    private static Policy.@Nullable Retention retention(
            PolicyRequest.@Nullable Retention retention, List<FieldProblem> errors) {
        if (retention == null) {
            return null;
        }
        Map<String, @Nullable Integer> given = new LinkedHashMap<>();
        given.put("keepLast", retention.keepLast());
        given.put("keepHourly", retention.keepHourly());
        given.put("keepDaily", retention.keepDaily());
        given.put("keepWeekly", retention.keepWeekly());
        given.put("keepMonthly", retention.keepMonthly());
        given.put("keepYearly", retention.keepYearly());
        List<Map.Entry<String, Integer>> rules = new ArrayList<>();
        given.forEach((rule, value) -> {
            if (value != null) {
                rules.add(new java.util.AbstractMap.SimpleImmutableEntry<>(rule, value));
            }
        });
        if (rules.isEmpty()) {
            errors.add(new FieldProblem(
                    "retention",
                    "needs at least one rule (keepLast, keepHourly, keepDaily, keepWeekly, keepMonthly, keepYearly); "
                            + "leave retention out to keep the vault's rules"));
            return null;
        }
        boolean ok = true;
        for (var rule : rules) {
            int value = rule.getValue();
            if (value < 0 || value > 10_000) {
                errors.add(new FieldProblem("retention." + rule.getKey(), "must be between 0 and 10000"));
                ok = false;
            }
        }
        if (ok && rules.stream().allMatch(r -> r.getValue() == 0)) {
            errors.add(new FieldProblem("retention", "keeps nothing: at least one rule must be above 0"));
            ok = false;
        }
        return ok
                ? new Policy.Retention(
                        retention.keepLast(),
                        retention.keepHourly(),
                        retention.keepDaily(),
                        retention.keepWeekly(),
                        retention.keepMonthly(),
                        retention.keepYearly())
                : null;
    }
}
