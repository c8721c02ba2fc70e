package io.cloudconnector.integrity;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The integrity service: account checks and recovery-point threat scans; in worker mode, one scan job. */
@SpringBootApplication
@EnableScheduling
public class IntegrityApplication {

    public static void main(String[] args) {
        var context = SpringApplication.run(IntegrityApplication.class, args);
        if (Arrays.asList(context.getEnvironment().getActiveProfiles()).contains("worker")) {
            // A Batch job ends when its container does: leave with the worker's exit code.
            System.exit(SpringApplication.exit(context));
        }
    }
}
