package io.cloudconnector.common.event;

import java.util.Locale;

/** API enum values are lower case with dashes (docs/api.md, Conventions). */
public final class WireNames {

    private WireNames() {}

    /** {@code EBS_BACKUP} → {@code ebs-backup}. */
    public static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant whose wire name is {@code wireName}, or an {@link IllegalArgumentException} listing the accepted ones. */
    public static <E extends Enum<E>> E parse(Class<E> type, String wireName) {
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(wireName)) {
                return constant;
            }
        }
        var accepted = java.util.Arrays.stream(type.getEnumConstants())
                .map(WireNames::of)
                .toList();
        throw new IllegalArgumentException("'" + wireName + "' is not one of " + accepted);
    }
}
