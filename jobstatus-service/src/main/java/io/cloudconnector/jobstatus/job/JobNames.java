package io.cloudconnector.jobstatus.job;

import org.jspecify.annotations.Nullable;

/** The names people know a job's vault and asset by, as far as this service has learnt them. */
interface JobNames {

    /** Knows no names. */
    JobNames NONE = new JobNames() {
        @Override
        public @Nullable String vaultName(String vaultId) {
            return null;
        }

        @Override
        public @Nullable String assetName(String assetId) {
            return null;
        }
    };

    /** The vault's name, from its {@code VaultCreated}. */
    @Nullable
    String vaultName(String vaultId);

    /** The asset's {@code Name} tag, from its latest {@code AssetChanged}. */
    @Nullable
    String assetName(String assetId);
}
