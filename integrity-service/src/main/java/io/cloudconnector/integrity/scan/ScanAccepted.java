package io.cloudconnector.integrity.scan;

/** The answer to {@code POST /v1/scans}: the job that scans (its result will name the report). */
record ScanAccepted(String jobId) {}
