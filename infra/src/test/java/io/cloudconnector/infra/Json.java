package io.cloudconnector.infra;

import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads JSON documents the AWS APIs return (JSON is YAML, and SnakeYAML is already on the test classpath). */
final class Json {

    private Json() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String json) {
        return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(json);
    }
}
