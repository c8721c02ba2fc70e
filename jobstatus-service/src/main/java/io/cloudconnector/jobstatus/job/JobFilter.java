package io.cloudconnector.jobstatus.job;

import com.github.f4b6a3.ulid.Ulid;
import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.PageRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code GET /v1/jobs} asks for: jobs in a state, of a kind, of a vault, asset or policy, created in
 * {@code [from, to]} (the creation time a job id carries), one page of them.
 */
record JobFilter(
        @Nullable JobState state,
        @Nullable JobKind kind,
        @Nullable String vaultId,
        @Nullable String assetId,
        @Nullable String policyId,
        @Nullable Instant from,
        @Nullable Instant to,
        PageRequest page) {

    private static final int MAX_ASSET_ID_LENGTH = 512;
    private static final java.util.regex.Pattern POLICY_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,128}");

    /** Parses the query parameters, naming every one that is invalid in a single 400 problem. */
    static JobFilter parse(
            @Nullable String state,
            @Nullable String kind,
            @Nullable String vaultId,
            @Nullable String assetId,
            @Nullable String policyId,
            @Nullable String from,
            @Nullable String to,
            @Nullable String limit,
            @Nullable String pageToken) {
        List<FieldProblem> problems = new ArrayList<>();
        JobState parsedState = wireValue(JobState.class, "state", state, problems);
        JobKind parsedKind = wireValue(JobKind.class, "kind", kind, problems);
        vaultId = blankToNull(vaultId);
        if (vaultId != null && !Ids.isValid(IdKind.VAULT, vaultId)) {
            problems.add(new FieldProblem("vaultId", "is not a vault id (vlt-<ulid>)"));
        }
        assetId = blankToNull(assetId);
        if (assetId != null && assetId.length() > MAX_ASSET_ID_LENGTH) {
            problems.add(new FieldProblem("assetId", "is longer than " + MAX_ASSET_ID_LENGTH + " characters"));
        }
        policyId = blankToNull(policyId);
        if (policyId != null && !POLICY_ID.matcher(policyId).matches()) {
            problems.add(new FieldProblem("policyId", "is not a policy id (up to 128 letters, digits, '-', '_', '.')"));
        }
        Instant parsedFrom = instant("from", from, problems);
        Instant parsedTo = instant("to", to, problems);
        if (parsedFrom != null && parsedTo != null && parsedFrom.isAfter(parsedTo)) {
            problems.add(new FieldProblem("from", "must not be after 'to'"));
        }
        PageRequest page = null;
        try {
            page = PageRequest.of(integer("limit", limit), pageToken);
            if (page.pageToken() != null) {
                pageTokenJobId(page.pageToken());
            }
        } catch (InvalidInputException e) {
            problems.addAll(e.errors());
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new JobFilter(
                parsedState,
                parsedKind,
                vaultId,
                assetId,
                policyId,
                parsedFrom,
                parsedTo,
                java.util.Objects.requireNonNull(page));
    }

    /**
     * Whether {@code job} meets the criteria other than the creation time ({@code from}, {@code to}), which bound
     * the range of ids a list reads; as the table's filter expression does.
     */
    boolean matches(JobRecord job) {
        return (state == null || state == job.state())
                && (kind == null || kind == job.kind())
                && (vaultId == null || vaultId.equals(job.vaultId()))
                && (assetId == null || assetId.equals(job.assetId()))
                && (policyId == null || policyId.equals(job.policyId()));
    }

    /** The smallest job id a job created at {@code time} can have (or any, without a time). */
    static String lowestIdAt(@Nullable Instant time) {
        return IdKind.JOB.prefix() + (time == null ? Ulid.MIN : Ulid.min(Math.max(0, time.toEpochMilli())));
    }

    /** The largest job id a job created at {@code time} can have (or any, without a time). */
    static String highestIdAt(@Nullable Instant time) {
        return IdKind.JOB.prefix() + (time == null ? Ulid.MAX : Ulid.max(Math.max(0, time.toEpochMilli())));
    }

    /** An opaque token that resumes a list after the job {@code id}. */
    static String pageTokenOf(String id) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    /** The job id a page token resumes after. */
    static String pageTokenJobId(String token) {
        try {
            String id = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (Ids.isValid(IdKind.JOB, id)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the same answer as a well-formed token that names no job
        }
        throw new InvalidInputException("pageToken", "is not a token this list handed out");
    }

    private static <E extends Enum<E>> @Nullable E wireValue(
            Class<E> type, String field, @Nullable String text, List<FieldProblem> problems) {
        text = blankToNull(text);
        if (text == null) {
            return null;
        }
        try {
            return WireNames.parse(type, text);
        } catch (IllegalArgumentException e) {
            var accepted =
                    Arrays.stream(type.getEnumConstants()).map(WireNames::of).toList();
            problems.add(new FieldProblem(field, "must be one of " + String.join(", ", accepted)));
            return null;
        }
    }

    private static @Nullable Integer integer(String field, @Nullable String text) {
        text = blankToNull(text);
        if (text == null) {
            return null;
        }
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(field, "must be a whole number between 1 and " + PageRequest.MAX_LIMIT);
        }
    }

    private static @Nullable Instant instant(String field, @Nullable String text, List<FieldProblem> problems) {
        text = blankToNull(text);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(field, "must be an ISO-8601 UTC time, e.g. 2026-11-26T10:15:30Z"));
            return null;
        }
    }

    private static @Nullable String blankToNull(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
