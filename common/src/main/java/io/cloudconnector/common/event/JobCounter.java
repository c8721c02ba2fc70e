package io.cloudconnector.common.event;

/** A job's second progress counter: {@code done} of {@code total} {@code unit} (e.g. a scan's files). */
public record JobCounter(String unit, long done, long total) {}
