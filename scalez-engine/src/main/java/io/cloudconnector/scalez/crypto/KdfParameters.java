package io.cloudconnector.scalez.crypto;

/** Argon2id cost parameters for passphrase-wrapped keys. */
public record KdfParameters(int memoryKiB, int iterations, int parallelism) {

    /**
     * 64 MiB, 3 passes, 4 lanes: RFC 9106's second recommended setting (§4). The C library computes the lanes on
     * as many threads, so a key opens in about half the time of one lane on two cores; an attacker's cost per
     * guess is the same memory and passes. Key files name their parameters: files made with 1 lane open as
     * before.
     */
    public static final KdfParameters DEFAULT = new KdfParameters(64 * 1024, 3, 4);

    public KdfParameters {
        if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1 || parallelism > 255) {
            throw new IllegalArgumentException(
                    "Invalid Argon2id parameters " + memoryKiB + "/" + iterations + "/" + parallelism);
        }
    }
}
