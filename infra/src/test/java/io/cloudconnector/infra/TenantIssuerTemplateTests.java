package io.cloudconnector.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tenant's token issuer reaches every service (docs/deploy.md, Parameters; docs/api.md, Authentication). */
class TenantIssuerTemplateTests {

    private static final Template CONNECTOR = Template.load(Template.CONNECTOR);

    @Test
    void everyServiceIsToldTheTenantsIssuer() {
        var tasks = CONNECTOR.resourcesOfType("AWS::ECS::TaskDefinition");
        assertThat(tasks).hasSize(6);
        tasks.forEach((id, task) -> {
            var container = Template.asMap(
                    Template.list(Template.map(task, "Properties").get("ContainerDefinitions"))
                            .getFirst());
            assertThat(Template.list(container.get("Environment")))
                    .as(id)
                    .contains(Map.of("Name", "CONNECTOR_SECURITY_ISSUER", "Value", Map.of("Ref", "TenantIssuer")));
        });
    }

    @Test
    void theIssuerIsAParameterWithoutSpaces() {
        var parameter = Template.asMap(CONNECTOR.parameters().get("TenantIssuer"));
        assertThat(parameter).containsEntry("Type", "String").containsEntry("AllowedPattern", "^\\S*$");
    }
}
