package io.cloudconnector.common;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A bare service for common's own tests: it gets everything a real service gets from common. */
@SpringBootApplication
public class CommonTestApplication {}
