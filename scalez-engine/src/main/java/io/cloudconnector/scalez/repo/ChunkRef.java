package io.cloudconnector.scalez.repo;

import io.cloudconnector.scalez.hash.ObjectId;

/** A chunk of file or stream content: its id and plaintext length. */
record ChunkRef(ObjectId id, int length) {
}
