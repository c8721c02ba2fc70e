package io.cloudconnector.backgroundjobs;

import io.cloudconnector.common.testing.OpenApiFuzzTests;
import org.springframework.boot.test.context.SpringBootTest;

/** Every operation of the background-jobs service's OpenAPI document, fuzzed (see {@link OpenApiFuzzTests}). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BackgroundJobsApiFuzzIT extends OpenApiFuzzTests {

    @Override
    protected String service() {
        return "background-jobs";
    }
}
