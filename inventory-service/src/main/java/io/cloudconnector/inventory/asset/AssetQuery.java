package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.PageRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The filters of {@code GET /v1/assets}, validated: every invalid parameter is reported at once, by name.
 *
 * @param tags every one must match ({@code tag=KEY:VALUE}, repeatable)
 * @param isProtected {@code protected=true|false}, or null for both
 * @param protection {@code protection=protected|at-risk|unprotected}, or null for all
 */
record AssetQuery(
        @Nullable AssetType type,
        @Nullable String state,
        List<TagFilter> tags,
        @Nullable Boolean isProtected,
        @Nullable String protection,
        PageRequest page) {

    /** More tag filters than anyone needs would only make the index query expensive. */
    static final int MAX_TAG_FILTERS = 10;

    /** One {@code tag=KEY:VALUE} filter. */
    record TagFilter(String key, String value) {}

    AssetQuery {
        tags = List.copyOf(tags);
    }

    static AssetQuery parse(
            @Nullable String type,
            @Nullable String state,
            @Nullable List<String> tags,
            @Nullable String isProtected,
            @Nullable String protection,
            @Nullable String limit,
            @Nullable String pageToken) {
        List<FieldProblem> problems = new ArrayList<>();
        AssetType parsedType = null;
        if (type != null) {
            try {
                parsedType = WireNames.parse(AssetType.class, type);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("type", String.valueOf(e.getMessage())));
            }
        }
        if (state != null && !AssetStates.isKnown(state)) {
            problems.add(new FieldProblem("state", "'" + state + "' is not one of " + AssetStates.known()));
        }
        List<TagFilter> tagFilters = new ArrayList<>();
        for (String tag : tags == null ? List.<String>of() : tags) {
            // Split at the last colon: AWS's own tag keys contain colons (aws:cloudformation:stack-name).
            int colon = tag.lastIndexOf(':');
            if (colon <= 0) {
                problems.add(new FieldProblem("tag", "'" + tag + "' is not KEY:VALUE"));
            } else {
                tagFilters.add(new TagFilter(tag.substring(0, colon), tag.substring(colon + 1)));
            }
        }
        if (tagFilters.size() > MAX_TAG_FILTERS) {
            problems.add(new FieldProblem("tag", "at most " + MAX_TAG_FILTERS + " tag filters"));
        }
        Boolean parsedProtected = null;
        if ("true".equals(isProtected) || "false".equals(isProtected)) {
            parsedProtected = Boolean.valueOf(isProtected);
        } else if (isProtected != null) {
            problems.add(new FieldProblem("protected", "'" + isProtected + "' is not true or false"));
        }
        if (protection != null && !AssetProtection.STATUSES.contains(protection)) {
            problems.add(
                    new FieldProblem("protection", "'" + protection + "' is not one of " + AssetProtection.STATUSES));
        }
        PageRequest page = null;
        try {
            page = PageRequest.of(limit == null ? null : Integer.valueOf(limit), pageToken);
        } catch (NumberFormatException e) {
            problems.add(new FieldProblem("limit", "'" + limit + "' is not a whole number"));
        } catch (InvalidInputException e) {
            problems.addAll(e.errors());
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return new AssetQuery(
                parsedType, state, tagFilters, parsedProtected, protection, java.util.Objects.requireNonNull(page));
    }

    /** Whether any filter is set (and so the index query evaluates items that are not returned). */
    boolean isFiltered() {
        return type != null || state != null || !tags.isEmpty() || isProtected != null || protection != null;
    }

    /** Identifies the filters (not the page), so that a page token only resumes the query it came from. */
    String fingerprint() {
        var text = new StringBuilder()
                .append(type)
                .append('\u0000')
                .append(state)
                .append('\u0000')
                .append(isProtected)
                .append('\u0000')
                .append(protection);
        tags.stream()
                .sorted(java.util.Comparator.comparing(TagFilter::key).thenComparing(TagFilter::value))
                .forEach(t ->
                        text.append('\u0000').append(t.key()).append('\u0001').append(t.value()));
        try {
            var digest =
                    MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
