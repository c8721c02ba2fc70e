package io.cloudconnector.backgroundjobs;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The background-jobs service: backup and restore jobs and their workers. */
@SpringBootApplication
public class BackgroundJobsApplication {

    public static void main(String[] args) {
        SpringApplication.run(BackgroundJobsApplication.class, args);
    }
}
