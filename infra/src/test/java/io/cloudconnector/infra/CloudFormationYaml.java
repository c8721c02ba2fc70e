package io.cloudconnector.infra;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a CloudFormation template into plain maps and lists, turning the short-form tags
 * ({@code !Ref}, {@code !Sub}, {@code !GetAtt}, {@code !If}, ...) into the long form CloudFormation
 * itself uses ({@code {"Ref": ...}}, {@code {"Fn::Sub": ...}}), so that tests see one shape only.
 */
final class CloudFormationYaml {

    private CloudFormationYaml() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String text) {
        var options = new LoaderOptions();
        return (Map<String, Object>) new Yaml(new IntrinsicFunctionConstructor(options)).load(text);
    }

    private static final class IntrinsicFunctionConstructor extends SafeConstructor {

        IntrinsicFunctionConstructor(LoaderOptions options) {
            super(options);
            // Every "!Xyz" tag: SnakeYAML hands over the tag prefix "!" and the node.
            yamlMultiConstructors.put("!", new ConstructIntrinsicFunction());
        }

        private final class ConstructIntrinsicFunction extends AbstractConstruct {

            @Override
            public Object construct(Node node) {
                var tag = node.getTag().getValue().substring(1);
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("Unexpected node for !" + tag + ": " + node);
                };
                return switch (tag) {
                    case "Ref" -> Map.of("Ref", value);
                    case "Condition" -> Map.of("Condition", value);
                    // "!GetAtt Bus.Arn" is short for ["Bus", "Arn"]; only the first dot separates.
                    case "GetAtt" ->
                        Map.of(
                                "Fn::GetAtt",
                                value instanceof String text
                                        ? List.of(
                                                text.substring(0, text.indexOf('.')),
                                                text.substring(text.indexOf('.') + 1))
                                        : value);
                    default -> Map.of("Fn::" + tag, value);
                };
            }
        }
    }
}
