package io.cloudconnector.scalez.blob;

/** The decorator must keep every promise of the store it wraps. */
class RetryingBlobStoreContractTests extends BlobStoreContractTests {

    @Override
    BlobStore newStore() {
        return new RetryingBlobStore(new InMemoryBlobStore());
    }
}
