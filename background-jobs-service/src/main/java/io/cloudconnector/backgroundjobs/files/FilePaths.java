package io.cloudconnector.backgroundjobs.files;

import io.cloudconnector.common.web.InvalidInputException;
import org.jspecify.annotations.Nullable;

/** A path inside a volume, as a request names it: absolute (a missing leading slash is added), never escaping it. */
final class FilePaths {

    static final int MAX_LENGTH = 4096;

    private FilePaths() {}

    /** {@code path} checked ({@code /} when absent): no NUL, no {@code ..} component, at most 4096 characters. */
    static String check(@Nullable String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        var problem = problem(path);
        if (problem != null) {
            throw new InvalidInputException("path", problem);
        }
        return path.startsWith("/") ? path : "/" + path;
    }

    /** What is wrong with {@code path}, or null if nothing. */
    static @Nullable String problem(String path) {
        if (path.indexOf('\0') >= 0) {
            return "must not contain a NUL character";
        }
        if (path.length() > MAX_LENGTH) {
            return "must be at most " + MAX_LENGTH + " characters";
        }
        for (var component : path.split("/", -1)) {
            if (component.equals("..")) {
                return "must not contain '..': a path stays inside its volume";
            }
        }
        return null;
    }
}
