package io.cloudconnector.jobstatus.job;

/** Why a job failed: a stable, machine-readable {@code code} and a {@code message} for people. */
public record JobError(String code, String message) {}
