package io.cloudconnector.inventory;

import io.cloudconnector.common.testing.OpenApiFuzzTests;
import org.springframework.boot.test.context.SpringBootTest;

/** Every operation of the inventory service's OpenAPI document, fuzzed (see {@link OpenApiFuzzTests}). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InventoryApiFuzzIT extends OpenApiFuzzTests {

    @Override
    protected String service() {
        return "inventory";
    }
}
