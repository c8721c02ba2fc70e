package io.cloudconnector.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One of the templates in {@code infra/cloudformation}, parsed, with the lookups the tests need. */
record Template(String name, Map<String, Object> root) {

    /** The account-level stack: installer role and permissions boundary. */
    static final String ACCOUNT = "account.yaml";
    /** The per-region connector stack. */
    static final String CONNECTOR = "connector.yaml";
    /** The per-vault stack. */
    static final String VAULT = "vault.yaml";
    /** Every template of the product. */
    static final List<String> ALL = List.of(ACCOUNT, CONNECTOR, VAULT);

    static Path directory() {
        // Another revision's templates (e.g. to evaluate the recorded calls against them: IamEvaluationTests).
        var other = System.getProperty("infra.templates");
        if (other != null) {
            return Path.of(other).toAbsolutePath().normalize();
        }
        // Surefire and failsafe run in the module directory and also set basedir.
        return Path.of(System.getProperty("basedir", "."), "cloudformation")
                .toAbsolutePath()
                .normalize();
    }

    static Path path(String name) {
        return directory().resolve(name);
    }

    static String body(String name) {
        try {
            return Files.readString(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read template " + name, e);
        }
    }

    static Template load(String name) {
        return new Template(name, CloudFormationYaml.parse(body(name)));
    }

    Map<String, Object> parameters() {
        return map(root, "Parameters");
    }

    Map<String, Object> rules() {
        return map(root, "Rules");
    }

    Map<String, Object> conditions() {
        return map(root, "Conditions");
    }

    Map<String, Object> resources() {
        return map(root, "Resources");
    }

    Map<String, Object> outputs() {
        return map(root, "Outputs");
    }

    /** The whole resource (Type, Condition, DeletionPolicy, Properties, ...). */
    Map<String, Object> resource(String logicalId) {
        var resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException(name + " has no resource " + logicalId);
        }
        return asMap(resource);
    }

    Map<String, Object> properties(String logicalId) {
        return map(resource(logicalId), "Properties");
    }

    /** Logical id to resource, for every resource of the given type, in template order. */
    Map<String, Map<String, Object>> resourcesOfType(String type) {
        var found = new LinkedHashMap<String, Map<String, Object>>();
        resources().forEach((id, resource) -> {
            if (type.equals(asMap(resource).get("Type"))) {
                found.put(id, asMap(resource));
            }
        });
        return found;
    }

    static Map<String, Object> map(Map<String, Object> parent, String key) {
        var value = parent.get(key);
        return value == null ? Map.of() : asMap(value);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new IllegalArgumentException("Expected a mapping, got " + value);
    }

    /** A scalar or a list in the template, as a list (CloudFormation accepts either in many places). */
    static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> items) {
            return List.copyOf(items);
        }
        return List.of(value);
    }
}
