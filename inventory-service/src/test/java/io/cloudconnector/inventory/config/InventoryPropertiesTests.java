package io.cloudconnector.inventory.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class InventoryPropertiesTests {

    @Test
    void defaultsAreAQuarterHourResyncAndADayOfProtection() {
        var properties = bind(Map.of());

        assertThat(properties.resyncInterval()).isEqualTo(Duration.ofMinutes(15));
        assertThat(properties.protectionWindow()).isEqualTo(Duration.ofHours(24));
        assertThat(properties.pageSize()).isEqualTo(500);
        assertThat(properties.accountId()).isNull();
    }

    @Test
    void takesKebabCaseKeys() {
        var properties = bind(Map.of(
                "inventory.resync-interval",
                "5m",
                "inventory.protection-window",
                "12h",
                "inventory.account-id",
                "123456789012"));

        assertThat(properties.resyncInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(properties.protectionWindow()).isEqualTo(Duration.ofHours(12));
        assertThat(properties.accountId()).isEqualTo("123456789012");
    }

    @Test
    void refusesSettingsEc2OrTheScheduleCannotWorkWith() {
        for (var bad : Map.of(
                        "inventory.page-size",
                        "1000",
                        "inventory.resync-interval",
                        "0s",
                        "inventory.account-id",
                        "acme",
                        "inventory.concurrency",
                        "0")
                .entrySet()) {
            assertThatThrownBy(() -> bind(Map.of(bad.getKey(), bad.getValue())))
                    .as(bad.getKey())
                    .isInstanceOf(BindException.class)
                    .rootCause()
                    .hasMessageContaining(bad.getKey());
        }
    }

    private static InventoryProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("inventory", InventoryProperties.class);
    }
}
