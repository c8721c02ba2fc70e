package io.cloudconnector.provisioner.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code provisioner.*} binds with its documented defaults and refuses settings that cannot work. */
class ProvisionerPropertiesTests {

    private static ProvisionerProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("provisioner", ProvisionerProperties.class);
    }

    @Test
    void defaults() {
        var properties = bind(Map.of());

        assertThat(properties.mode()).isEqualTo(ProvisionerProperties.Mode.ECS);
        assertThat(properties.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(properties.maxServersPerVault()).isEqualTo(1);
        assertThat(properties.jobsPerServer()).isEqualTo(4);
        assertThat(properties.leaseDuration()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.local().command()).containsExactly("./scalez");
    }

    @Test
    void localModeWithACommandOfSeveralWords() {
        var properties = bind(Map.of(
                "provisioner.mode",
                "local",
                "provisioner.local.command",
                "java,-jar,/opt/scalez.jar",
                "provisioner.idle-timeout",
                "2m"));

        assertThat(properties.mode()).isEqualTo(ProvisionerProperties.Mode.LOCAL);
        assertThat(properties.local().command()).isEqualTo(List.of("java", "-jar", "/opt/scalez.jar"));
        assertThat(properties.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @ParameterizedTest
    @CsvSource({
        "provisioner.idle-timeout, 0s, idle-timeout",
        "provisioner.max-servers-per-vault, 0, max-servers-per-vault",
        "provisioner.max-servers-per-vault, 17, max-servers-per-vault",
        "provisioner.jobs-per-server, 0, jobs-per-server",
        "provisioner.lease-duration, 20s, lease-duration",
        "provisioner.server-port, 70000, server-port"
    })
    void refusesSettingsThatCannotWork(String key, String value, String named) {
        assertThatThrownBy(() -> bind(Map.of(key, value))).hasStackTraceContaining(named);
    }
}
