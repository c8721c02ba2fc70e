package io.cloudconnector.jobstatus;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The jobstatus service: job states, live progress and the operator dashboard. */
@SpringBootApplication
public class JobstatusApplication {

    public static void main(String[] args) {
        SpringApplication.run(JobstatusApplication.class, args);
    }
}
