package io.cloudconnector.scalez.serve;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.scalez.blob.InMemoryBlobStore;
import io.cloudconnector.scalez.compress.Codec;
import io.cloudconnector.scalez.crypto.KdfParameters;
import io.cloudconnector.scalez.crypto.KeyCredential;
import io.cloudconnector.scalez.hash.ObjectId;
import io.cloudconnector.scalez.internal.PackFiles;
import io.cloudconnector.scalez.model.RepositorySettings;
import io.cloudconnector.scalez.pack.BlobType;
import io.cloudconnector.scalez.pack.PackEntry;
import io.cloudconnector.scalez.remote.SealedBlob;
import io.cloudconnector.scalez.repo.Repository;
import io.cloudconnector.scalez.repo.RepositoryOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The shared writer keeps one copy of each chunk while sessions send the same blobs at once and packs upload
 * meanwhile: a blob whose pack is being indexed when another session sends it must not be stored again.
 */
class SharedWriterTests {

    @Test
    void sessionsSendingTheSameBlobsAtOnceStoreEachOnce() throws Exception {
        var store = new InMemoryBlobStore();
        var repository = Repository.init(
                store,
                new KeyCredential.Passphrase("pw", new KdfParameters(1024, 1, 1)),
                RepositorySettings.defaults().withPackSize(64 * 1024),
                RepositoryOptions.defaults());
        var random = new Random(3);
        List<SealedBlob> blobs = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            var data = new byte[4 * 1024];
            random.nextBytes(data);
            var id = ObjectId.sha256(data);
            var aad = PackEntry.aad(id, BlobType.DATA, Codec.NONE, data.length);
            var sealed = repository.context().blobAead(id).seal(data, aad);
            blobs.add(new SealedBlob(id, BlobType.DATA.code(), Codec.NONE.code(), data.length, sealed));
        }
        ExecutorService sessions = Executors.newFixedThreadPool(4);
        try (var writer = SharedWriter.open(repository, 2)) {
            List<CompletableFuture<Long>> sent = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                var order = new ArrayList<>(blobs);
                Collections.shuffle(order, new Random(s));
                sent.add(CompletableFuture.supplyAsync(
                        () -> order.stream().mapToLong(writer::store).sum(), sessions));
            }
            long stored = sent.stream().mapToLong(CompletableFuture::join).sum();
            writer.flush();

            var copies = new HashMap<ObjectId, Integer>();
            for (var info : store.list("packs/")) {
                for (var entry : PackFiles.readHeader(repository.context(), info.key(), info.size())) {
                    copies.merge(entry.id(), 1, Integer::sum);
                }
            }
            assertThat(copies).hasSize(blobs.size());
            assertThat(copies.values()).as("copies of each chunk").containsOnly(1);
            assertThat(stored)
                    .isEqualTo(blobs.stream().mapToLong(b -> b.sealed().length).sum());
        } finally {
            sessions.shutdownNow();
        }
    }
}
