package io.cloudconnector.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One AWS call recorded by the common test-jar's {@code AwsCallRecorder} during a module's tests: the module, the
 * SDK's service and operation names, the connector classes on the stack (innermost first) and the request's
 * fields, flattened ({@code Entries[0].Source}, {@code Key.pk.S}, {@code EncryptionContext.vault}).
 */
record RecordedCall(String module, String service, String operation, List<String> callers, Map<String, Object> fields) {

    /** Every recording under {@code <root>/<module>/target/aws-calls/}, and the modules that had one. */
    static List<RecordedCall> load(Path root, List<String> modulesFound) {
        var calls = new ArrayList<RecordedCall>();
        try (Stream<Path> modules = Files.list(root)) {
            for (var module : modules.sorted().toList()) {
                var dir = module.resolve("target/aws-calls");
                if (!Files.isDirectory(dir)) {
                    continue;
                }
                modulesFound.add(module.getFileName().toString());
                try (Stream<Path> files = Files.list(dir)) {
                    for (var file : files.filter(f -> f.toString().endsWith(".jsonl"))
                            .sorted()
                            .toList()) {
                        for (var line : Files.readAllLines(file)) {
                            if (!line.isBlank()) {
                                calls.add(parse(line));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return calls;
    }

    @SuppressWarnings("unchecked")
    private static RecordedCall parse(String line) {
        var json = Json.parse(line);
        return new RecordedCall(
                (String) json.get("module"),
                (String) json.get("service"),
                (String) json.get("operation"),
                (List<String>) json.get("callers"),
                Template.asMap(json.get("fields")));
    }

    /**
     * A field's value, or null. Names are matched regardless of case: some services' members are PascalCase
     * ({@code Bucket}), others camelCase ({@code jobQueue} in Batch, {@code taskDefinition} in ECS).
     */
    String field(String name) {
        var value = get(name);
        return value == null ? null : String.valueOf(value);
    }

    private Object get(String name) {
        var value = fields.get(name);
        if (value != null) {
            return value;
        }
        for (var entry : fields.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** A list field's values (a map field's keys for {@code Name{}}), or none. */
    List<String> list(String name) {
        var value = get(name);
        return value == null
                ? List.of()
                : Template.list(value).stream().map(String::valueOf).toList();
    }

    boolean calledFrom(String classOrPackagePrefix) {
        return callers.stream().anyMatch(c -> c.startsWith(classOrPackagePrefix));
    }

    @Override
    public String toString() {
        return module + " " + service + ":" + operation + " " + fields + " via " + callers;
    }
}
