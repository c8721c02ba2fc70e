/** The repository: ties chunking, hashing, compression, encryption, packs and indexes to a blob store. */
@NullMarked
package io.cloudconnector.scalez.repo;

import org.jspecify.annotations.NullMarked;
