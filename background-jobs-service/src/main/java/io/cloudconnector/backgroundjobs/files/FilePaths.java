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
        if (path.indexOf('\0') >= 0) {
            throw new InvalidInputException("path", "must not contain a NUL character");
        }
        if (path.length() > MAX_LENGTH) {
            throw new InvalidInputException("path", "must be at most " + MAX_LENGTH + " characters");
        }
        for (var component : path.split("/", -1)) {
            if (component.equals("..")) {
                throw new InvalidInputException("path", "must not contain '..': a path stays inside its volume");
            }
        }
        return path.startsWith("/") ? path : "/" + path;
    }
}
