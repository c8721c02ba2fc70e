package io.cloudconnector.scalez;

import java.util.Map;

/** Just enough JSON writing for the CLI's outputs and the ScaleZ server's answers; keeps the engine free of a JSON library. */
public final class Json {

    private Json() {}

    /** A JSON object of {@code fields} in their iteration order. */
    public static String object(Map<String, ?> fields) {
        var out = new StringBuilder("{");
        fields.forEach((k, v) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(string(k)).append(':').append(value(v));
        });
        return out.append('}').toString();
    }

    /** A JSON value: null, number, boolean, map, iterable, or anything else as its string. */
    @SuppressWarnings("unchecked")
    public static String value(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof Map<?, ?> m) {
            return object((Map<String, ?>) m);
        }
        if (v instanceof Iterable<?> list) {
            var out = new StringBuilder("[");
            for (var item : list) {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(value(item));
            }
            return out.append(']').toString();
        }
        return string(v.toString());
    }

    /** A JSON string literal. */
    public static String string(String s) {
        var out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
