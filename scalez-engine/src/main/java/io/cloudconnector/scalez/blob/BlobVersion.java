package io.cloudconnector.scalez.blob;

import java.time.Instant;

/**
 * One version of a blob in a versioned store (S3 {@code ListObjectVersions}): its key, version id, size, write time,
 * whether it is a delete marker, and whether it is the key's current version.
 */
public record BlobVersion(
        String key, String versionId, long size, Instant lastModified, boolean deleteMarker, boolean latest) {}
