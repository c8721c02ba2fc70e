package io.cloudconnector.scalez.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InMemoryBlobStoreContractTests extends BlobStoreContractTests {

    @Override
    BlobStore newStore() {
        return new InMemoryBlobStore();
    }

    @Test
    void stampsBlobsWithTheGivenClock() {
        var written = Instant.parse("2025-01-02T03:04:05Z");
        var stamped = new InMemoryBlobStore(Clock.fixed(written, ZoneOffset.UTC));

        stamped.put("snapshots/rp-1", bytes("manifest"));

        assertThat(stamped.stat("snapshots/rp-1"))
                .hasValueSatisfying(info -> assertThat(info.lastModified()).isEqualTo(written));
        assertThat(stamped.location()).isNotEqualTo(store.location());
    }
}
