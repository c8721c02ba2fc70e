package io.cloudconnector.scalez.crypto;

/** Argon2id cost parameters for passphrase-wrapped keys. */
public record KdfParameters(int memoryKiB, int iterations, int parallelism) {

    /** 64 MiB, 3 passes, 1 lane: about half a second here, and far more on a GPU farm per guess. */
    public static final KdfParameters DEFAULT = new KdfParameters(64 * 1024, 3, 1);

    public KdfParameters {
        if (memoryKiB < 8 * parallelism || iterations < 1 || parallelism < 1 || parallelism > 255) {
            throw new IllegalArgumentException(
                    "Invalid Argon2id parameters " + memoryKiB + "/" + iterations + "/" + parallelism);
        }
    }
}
