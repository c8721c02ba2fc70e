package io.cloudconnector.jobstatus;

import io.cloudconnector.common.testing.OpenApiFuzzTests;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;

/** Every operation of the jobstatus service's OpenAPI document, fuzzed (see {@link OpenApiFuzzTests}). */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.cloud.aws.sqs.listener.poll-timeout=1s", "connector.aws.call-attempt-timeout=30s"})
@DirtiesContext
class JobstatusApiFuzzIT extends OpenApiFuzzTests {

    @Override
    protected String service() {
        return "jobstatus";
    }
}
