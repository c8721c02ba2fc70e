package io.cloudconnector.integrity;

import io.cloudconnector.common.testing.OpenApiFuzzTests;
import org.springframework.boot.test.context.SpringBootTest;

/** Every operation of the integrity service's OpenAPI document, fuzzed (see {@link OpenApiFuzzTests}). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IntegrityApiFuzzIT extends OpenApiFuzzTests {

    @Override
    protected String service() {
        return "integrity";
    }
}
