package io.cloudconnector.scalez.internal;

import io.cloudconnector.scalez.hash.ObjectId;

/** A chunk of file or stream content: its id and plaintext length. */
public record ChunkRef(ObjectId id, int length) {}
