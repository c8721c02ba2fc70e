package io.cloudconnector.inventory;

import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.testing.ServiceIntegrationTests;
import org.springframework.boot.test.context.SpringBootTest;

/** The inventory service boots against the connector stack in the emulator and serves its table, secured. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@org.springframework.test.annotation.DirtiesContext // see InventoryIntegrationTests
class InventoryApplicationIT extends ServiceIntegrationTests {

    @Override
    protected String listPath() {
        return "/v1/assets";
    }

    @Override
    protected String listScope() {
        return Scopes.ASSETS_READ;
    }
}
