package io.cloudconnector.common.web;

import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds the connector's RFC 9457 problem details. */
public final class Problems {

    /** Problem type URIs are {@code urn:cloudconnector:problem:<slug>}. */
    public static final String TYPE_PREFIX = "urn:cloudconnector:problem:";

    /** The most characters of a caller's input that a problem repeats back. */
    public static final int MAX_ECHO = 100;

    private Problems() {}

    /**
     * {@code input} as a problem may repeat it: at most {@link #MAX_ECHO} characters (never splitting a surrogate
     * pair), then {@code …} if it was longer.
     */
    public static String echo(@Nullable Object input) {
        String text = String.valueOf(input);
        if (text.length() <= MAX_ECHO) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_ECHO - 1)) ? MAX_ECHO - 1 : MAX_ECHO;
        return text.substring(0, end) + "…";
    }

    /** A problem with a type slug, a status, a detail and optionally the fields at fault. */
    public static ProblemDetail of(
            HttpStatusCode status, String typeSlug, @Nullable String detail, List<FieldProblem> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail == null ? null : bounded(detail));
        problem.setType(URI.create(TYPE_PREFIX + typeSlug));
        if (!errors.isEmpty()) {
            problem.setProperty(
                    "errors",
                    errors.stream()
                            .map(e -> new FieldProblem(bounded(e.field()), bounded(e.message())))
                            .toList());
        }
        return problem;
    }

    /** Whether {@code run} is already an {@link #echo} (with a quote or punctuation around it). */
    private static boolean echoed(String run) {
        int ellipsis = run.indexOf('…');
        return run.length() <= MAX_ECHO + 3 && ellipsis >= 0 && ellipsis <= MAX_ECHO + 1;
    }

    /**
     * {@code text} with every run of more than {@link #MAX_ECHO} non-blank characters cut by {@link #echo}: a
     * message that repeats an id, a value or a path a caller sent ({@code "no vault " + id}) repeats at most 100
     * characters of it, whichever service wrote the message.
     */
    public static String bounded(String text) {
        if (text.length() <= MAX_ECHO) {
            return text;
        }
        var out = new StringBuilder(Math.min(text.length(), 4 * MAX_ECHO));
        int i = 0;
        while (i < text.length()) {
            int end = i;
            boolean blank = Character.isWhitespace(text.charAt(i));
            while (end < text.length() && Character.isWhitespace(text.charAt(end)) == blank) {
                end++;
            }
            String run = text.substring(i, end);
            out.append(blank || echoed(run) ? run : echo(run));
            i = end;
        }
        return out.toString();
    }

    /** The problem's JSON members in RFC 9457 order, extension members (e.g. {@code errors}) flattened in. */
    public static java.util.Map<String, Object> asMap(ProblemDetail problem) {
        var members = new java.util.LinkedHashMap<String, Object>();
        members.put(
                "type",
                problem.getType() == null ? "about:blank" : problem.getType().toString());
        if (problem.getTitle() != null) {
            members.put("title", problem.getTitle());
        }
        members.put("status", problem.getStatus());
        if (problem.getDetail() != null) {
            members.put("detail", problem.getDetail());
        }
        if (problem.getInstance() != null) {
            members.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            members.putAll(problem.getProperties());
        }
        return members;
    }
}
