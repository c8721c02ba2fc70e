package io.cloudconnector.scalez.blob;

import java.time.Instant;

/** A blob's key, size in bytes and last-modified time. */
public record BlobInfo(String key, long size, Instant lastModified) {}
