/** Vaults: per-vault S3 bucket, KMS key and compute, each holding one ScaleZ repository. */
@NullMarked
package io.cloudconnector.catalog.vault;

import org.jspecify.annotations.NullMarked;
