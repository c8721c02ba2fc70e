package io.cloudconnector.scalez.remote;

import io.cloudconnector.scalez.hash.ObjectId;

/**
 * A chunk as it goes into a pack: its id, type and codec codes (the bytes of a pack header entry, see the
 * storage format §5), plaintext length, and the sealed bytes ({@code seal(dataKey, stored, aad)}, §4). What a
 * backup sends a ScaleZ server; the array is not copied.
 */
public record SealedBlob(ObjectId id, int type, int codec, int rawLength, byte[] sealed) {}
