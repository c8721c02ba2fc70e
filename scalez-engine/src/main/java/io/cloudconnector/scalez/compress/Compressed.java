package io.cloudconnector.scalez.compress;

/** Bytes as stored, with the codec that produced them. */
public record Compressed(Codec codec, byte[] data) {}
