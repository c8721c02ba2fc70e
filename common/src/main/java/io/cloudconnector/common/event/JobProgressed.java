package io.cloudconnector.common.event;

/**
 * How far a running job has come. Workers publish at most one a second; {@code sequence} grows with
 * every report so that a late or duplicated one never moves a job backwards.
 */
public record JobProgressed(String jobId, long sequence, long bytesDone, long bytesTotal) implements ConnectorEvent {}
