package io.cloudconnector.backgroundjobs.job;

/** A running job was told to stop: a tenant cancelled it, or its run lost its lease to another worker. */
public class JobStoppedException extends RuntimeException {

    JobStoppedException(String message) {
        super(message);
    }
}
