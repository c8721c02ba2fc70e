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

    /**
     * A scan or check the fuzzer started with an accepted request writes its report when it ends, which may be
     * while a later, refused request is being checked: reports are written by the runs, not by requests.
     */
    @Override
    protected boolean background(String pk, String sk) {
        return super.background(pk, sk) || pk.startsWith("REPORT#");
    }
}
