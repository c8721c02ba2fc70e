package io.cloudconnector.integrity;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The integrity service: account checks and recovery-point threat scans. */
@SpringBootApplication
public class IntegrityApplication {

    public static void main(String[] args) {
        SpringApplication.run(IntegrityApplication.class, args);
    }
}
