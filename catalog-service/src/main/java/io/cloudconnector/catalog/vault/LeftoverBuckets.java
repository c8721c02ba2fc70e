package io.cloudconnector.catalog.vault;

import static io.cloudconnector.common.store.ServiceTable.s;

import io.cloudconnector.catalog.config.RegionalClients;
import io.cloudconnector.common.store.Items;
import io.cloudconnector.common.store.ListQuery;
import io.cloudconnector.common.store.ServiceTable;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The buckets of deleted vaults that could not be removed yet: no connector role may delete an object version, so
 * a deleted or purged vault's bucket keeps its noncurrent versions (and their delete markers) until the bucket's
 * lifecycle expires them after {@code NoncurrentVersionRetentionDays}. Each is remembered in the catalog table
 * ({@code pk = BUCKET#<name>}, {@code sk = LEFTOVER}, listed under {@code gsi1pk = LEFTOVER-BUCKETS}), and a daily
 * sweep removes those the lifecycle has emptied, then forgets them; the vault itself is {@code deleted} from the
 * start. Every step can run twice, on any replica: removing a bucket that is gone, or forgetting one already
 * forgotten, changes nothing.
 */
@Component
public class LeftoverBuckets {

    private static final Logger log = LoggerFactory.getLogger(LeftoverBuckets.class);
    static final String LIST = "LEFTOVER-BUCKETS";
    private static final String SK = "LEFTOVER";

    private final ServiceTable table;
    private final RegionalClients clients;
    private final Clock clock;

    LeftoverBuckets(ServiceTable table, RegionalClients clients, Clock clock) {
        this.table = table;
        this.clients = clients;
        this.clock = clock;
    }

    /** A bucket left behind by a deleted vault, as remembered. */
    public record Leftover(String bucket, String region, String vaultId, String since) {}

    /** Remembers a deleted vault's bucket that still holds versions, for the sweep to remove later. */
    void remember(Vault vault, String bucket) {
        var item = ServiceTable.item(key(bucket), SK);
        String since = clock.instant().toString();
        item.put(ServiceTable.GSI1_PK, s(LIST));
        item.put(ServiceTable.GSI1_SK, s(since + "#" + bucket));
        item.put("bucket", s(bucket));
        item.put("region", s(vault.region()));
        item.put("vaultId", s(vault.id()));
        item.put("since", s(since));
        table.putIfAbsent(item);
    }

    /** Every bucket still waiting, oldest last. */
    public List<Leftover> all() {
        return table.listAll(ListQuery.of(LIST)).stream()
                .map(LeftoverBuckets::fromItem)
                .toList();
    }

    /**
     * Removes each remembered bucket the lifecycle has emptied and forgets it; a bucket still holding versions is
     * kept for the next sweep. Returns how many were removed.
     */
    @Scheduled(
            fixedDelayString = "${connector.vaults.leftover-bucket-sweep-interval:24h}",
            initialDelayString = "${connector.vaults.leftover-bucket-sweep-delay:10m}")
    public int sweep() {
        int removed = 0;
        for (var leftover : all()) {
            try {
                if (remove(leftover)) {
                    table.delete(key(leftover.bucket()), SK);
                    removed++;
                    log.info(
                            "Vault {}: bucket {} removed, its lifecycle having expired every version",
                            leftover.vaultId(),
                            leftover.bucket());
                }
            } catch (RuntimeException e) {
                log.warn(
                        "Bucket {} of deleted vault {} not removed: {}",
                        leftover.bucket(),
                        leftover.vaultId(),
                        e.toString());
            }
        }
        return removed;
    }

    /** Whether the bucket is gone now; false while it still holds versions. */
    private boolean remove(Leftover leftover) {
        try {
            clients.in(leftover.region()).s3().deleteBucket(b -> b.bucket(leftover.bucket()));
            return true;
        } catch (NoSuchBucketException e) {
            return true;
        } catch (S3Exception e) {
            if ("BucketNotEmpty".equals(e.awsErrorDetails().errorCode())) {
                return false;
            }
            throw e;
        }
    }

    private static String key(String bucket) {
        return "BUCKET#" + bucket;
    }

    private static Leftover fromItem(Map<String, AttributeValue> item) {
        return new Leftover(
                Items.string(item, "bucket"),
                Items.string(item, "region"),
                Items.string(item, "vaultId"),
                Items.string(item, "since"));
    }
}
