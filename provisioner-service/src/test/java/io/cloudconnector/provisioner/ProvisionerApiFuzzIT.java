package io.cloudconnector.provisioner;

import io.cloudconnector.common.testing.OpenApiFuzzTests;
import org.springframework.boot.test.context.SpringBootTest;

/** Every operation of the provisioner service's OpenAPI document, fuzzed (see {@link OpenApiFuzzTests}). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProvisionerApiFuzzIT extends OpenApiFuzzTests {

    @Override
    protected String service() {
        return "provisioner";
    }
}
