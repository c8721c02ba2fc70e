package io.cloudconnector.common.aws;

/** A CloudFormation stack could not be created, updated or deleted. */
public class StackDeploymentException extends RuntimeException {

    public StackDeploymentException(String message) {
        super(message);
    }

    public StackDeploymentException(String message, Throwable cause) {
        super(message, cause);
    }
}
