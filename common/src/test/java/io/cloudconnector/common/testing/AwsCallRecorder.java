package io.cloudconnector.common.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.StackWalker.StackFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Records every AWS call the product code of a test JVM makes: service, operation, the request's identifying
 * fields (bucket, key, table, queue URL, key id, snapshot id, event source...) and the product classes on the
 * stack that made it, which is what tells the role the call runs under (infra's {@code IamEvaluationTests}
 * maps module and classes to the template's role and evaluates the call against it).
 *
 * <p>Registered for every SDK client of a test JVM through the SDK's global interceptor file
 * ({@code software/amazon/awssdk/global/handlers/execution.interceptors} in this test-jar). A call made only by
 * test code (fixtures: creating tables, reading back objects) is not recorded; nor is one made through the
 * test-jar's fixtures ({@code io.cloudconnector.common.testing}), which set up what an installer would.
 * Calls with no connector class on the stack at all (a framework's poller, such as the SQS listener container)
 * are recorded: they run on the product's behalf.
 *
 * <p>One file per JVM, {@code target/aws-calls/<pid>.jsonl} under the module's directory (or the directory in
 * the system property {@code connector.aws-calls.dir}); a call is written once per distinct shape (digits and
 * hex runs of its fields folded), so polling loops do not grow the file.
 */
public final class AwsCallRecorder implements ExecutionInterceptor {

    private static final String PACKAGE = "io.cloudconnector.";
    private static final String FIXTURES = "io.cloudconnector.common.testing.";
    private static final int MAX_STRING = 300;
    private static final int MAX_LIST = 10;
    private static final int MAX_CALLERS = 12;
    /** Of a DynamoDB item or key only these attributes are recorded; of a map of strings every entry. */
    private static final Set<String> KEY_ATTRIBUTES = Set.of("pk", "sk");

    /** Ids, ULIDs, hashes, numbers: what varies between two calls of the same kind. */
    private static final Pattern SHAPE = Pattern.compile("(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{6,}|[0-9]+");

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final Map<Class<?>, Boolean> TEST_CODE = new ConcurrentHashMap<>();
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();
    private static final Object LOCK = new Object();
    private static volatile Writer writer;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        try {
            record(context.request(), attributes);
        } catch (RuntimeException e) {
            // Recording must never change what the code under test sees.
            System.err.println("AwsCallRecorder: " + e);
        }
    }

    private static void record(SdkRequest request, ExecutionAttributes attributes) {
        var callers = callers();
        if (callers == null) {
            return;
        }
        var service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        var operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        var fields = new LinkedHashMap<String, Object>();
        flatten("", request, fields, 0);
        var module = module();
        var shape = module
                + '|'
                + service
                + '|'
                + operation
                + '|'
                + callers
                + '|'
                + SHAPE.matcher(fields.toString()).replaceAll("#");
        if (!SEEN.add(shape)) {
            return;
        }
        var line = new StringBuilder(256).append('{');
        json(line, "module", module).append(',');
        json(line, "service", service).append(',');
        json(line, "operation", operation).append(',');
        line.append("\"callers\":[");
        for (int i = 0; i < callers.size(); i++) {
            quote(line.append(i == 0 ? "" : ","), callers.get(i));
        }
        line.append("],");
        json(line, "thread", Thread.currentThread().getName()).append(',');
        json(line, "at", Instant.now().toString()).append(',');
        line.append("\"fields\":{");
        boolean first = true;
        for (var field : fields.entrySet()) {
            quote(line.append(first ? "" : ","), field.getKey()).append(':');
            var value = field.getValue();
            if (value instanceof Collection<?> values) {
                line.append('[');
                boolean firstValue = true;
                for (var v : values) {
                    quote(line.append(firstValue ? "" : ","), String.valueOf(v));
                    firstValue = false;
                }
                line.append(']');
            } else {
                quote(line, String.valueOf(value));
            }
            first = false;
        }
        line.append("}}\n");
        write(line.toString());
    }

    /**
     * The connector classes of main code on the stack, innermost first; null for a call only test code makes (or
     * made through the test-jar's fixtures).
     */
    private static List<String> callers() {
        var frames = WALKER.walk(s -> s.filter(f -> f.getClassName().startsWith(PACKAGE))
                .filter(f -> f.getDeclaringClass() != AwsCallRecorder.class)
                .toList());
        if (frames.isEmpty()) {
            return List.of();
        }
        var main = new LinkedHashSet<String>();
        for (StackFrame frame : frames) {
            if (frame.getClassName().startsWith(FIXTURES)) {
                return null;
            }
            if (!isTestCode(frame.getDeclaringClass())) {
                var name = frame.getClassName();
                int nested = name.indexOf('$');
                main.add(nested < 0 ? name : name.substring(0, nested));
            }
        }
        if (main.isEmpty()) {
            return null;
        }
        return new ArrayList<>(main).subList(0, Math.min(MAX_CALLERS, main.size()));
    }

    private static boolean isTestCode(Class<?> type) {
        return TEST_CODE.computeIfAbsent(type, t -> {
            var source = t.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return false;
            }
            var location = source.getLocation().toString();
            return location.contains("/test-classes/") || location.endsWith("-tests.jar");
        });
    }

    private static void flatten(String prefix, SdkPojo pojo, Map<String, Object> out, int depth) {
        for (SdkField<?> field : pojo.sdkFields()) {
            var value = field.getValueOrDefault(pojo);
            if (value == null) {
                continue;
            }
            var name = prefix + field.memberName();
            if (value instanceof SdkPojo nested) {
                if (depth < 2) {
                    flatten(name + ".", nested, out, depth + 1);
                }
            } else if (value instanceof List<?> list) {
                if (list.isEmpty()) {
                    continue;
                }
                if (list.get(0) instanceof SdkPojo) {
                    if (depth < 2) {
                        for (int i = 0; i < Math.min(MAX_LIST, list.size()); i++) {
                            flatten(name + "[" + i + "].", (SdkPojo) list.get(i), out, depth + 1);
                        }
                    }
                } else {
                    out.put(
                            name,
                            list.stream()
                                    .limit(MAX_LIST)
                                    .map(AwsCallRecorder::scalar)
                                    .toList());
                }
            } else if (value instanceof Map<?, ?> map) {
                if (map.isEmpty()) {
                    continue;
                }
                // Table names of batch operations, message attributes' names; of an item or key only pk and sk.
                out.put(
                        name + "{}",
                        map.keySet().stream()
                                .limit(MAX_LIST)
                                .map(String::valueOf)
                                .toList());
                int entries = 0;
                for (var entry : map.entrySet()) {
                    if (KEY_ATTRIBUTES.contains(String.valueOf(entry.getKey()))
                            && entry.getValue() instanceof SdkPojo attribute) {
                        flatten(name + "." + entry.getKey() + ".", attribute, out, 2);
                    } else if (entry.getValue() instanceof String text && entries++ < MAX_LIST) {
                        // Encryption contexts, tags, stack parameters: what conditions are written on.
                        out.put(name + "." + entry.getKey(), scalar(text));
                    }
                }
            } else {
                out.put(name, scalar(value));
            }
        }
    }

    private static String scalar(Object value) {
        var text = String.valueOf(value);
        return text.length() <= MAX_STRING ? text : "<" + text.length() + " chars>";
    }

    private static String module() {
        var module = System.getProperty("connector.aws-calls.module");
        if (module != null) {
            return module;
        }
        var name = Path.of("").toAbsolutePath().getFileName();
        return name == null ? "unknown" : name.toString();
    }

    private static void write(String line) {
        synchronized (LOCK) {
            try {
                if (writer == null) {
                    var dir = Path.of(System.getProperty("connector.aws-calls.dir", "target/aws-calls"));
                    Files.createDirectories(dir);
                    writer = Files.newBufferedWriter(
                            dir.resolve(ProcessHandle.current().pid() + ".jsonl"),
                            StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                }
                writer.write(line);
                writer.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static StringBuilder json(StringBuilder out, String name, Object value) {
        return quote(quote(out, name).append(':'), String.valueOf(value));
    }

    private static StringBuilder quote(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
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
        return out.append('"');
    }
}
