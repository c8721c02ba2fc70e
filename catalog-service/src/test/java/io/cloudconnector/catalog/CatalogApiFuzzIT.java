package io.cloudconnector.catalog;

import io.cloudconnector.common.testing.OpenApiFuzzTests;
import org.springframework.boot.test.context.SpringBootTest;

/** Every operation of the catalog service's OpenAPI document, fuzzed (see {@link OpenApiFuzzTests}). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CatalogApiFuzzIT extends OpenApiFuzzTests {

    @Override
    protected String service() {
        return "catalog";
    }
}
