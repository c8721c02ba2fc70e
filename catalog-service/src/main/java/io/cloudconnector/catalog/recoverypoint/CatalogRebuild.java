package io.cloudconnector.catalog.recoverypoint;

import io.cloudconnector.catalog.vault.Vault;
import io.cloudconnector.catalog.vault.VaultRepository;
import io.cloudconnector.catalog.vault.VaultStatus;
import io.cloudconnector.catalog.vault.VaultStorage;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.RecoveryPointLabels;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.ConflictException;
import io.cloudconnector.common.web.NotFoundException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/vaults/{id}/catalog:rebuild}: the vault's bucket is the source of truth and the
 * catalog table an index of it, so the recovery-point rows of a vault can be rebuilt from its manifests.
 */
@RestController
class CatalogRebuild {

    private final VaultRepository vaults;
    private final VaultStorage storage;
    private final RecoveryPointRepository points;
    private final Clock clock;

    CatalogRebuild(VaultRepository vaults, VaultStorage storage, RecoveryPointRepository points, Clock clock) {
        this.vaults = vaults;
        this.storage = storage;
        this.points = points;
        this.clock = clock;
    }

    @PostMapping("/v1/vaults/{id}/catalog:rebuild")
    @RequiresScope(Scopes.VAULTS_WRITE)
    RebuildReport rebuild(@PathVariable String id) {
        if (!Ids.isValid(IdKind.VAULT, id)) {
            throw new NotFoundException("Vault", id);
        }
        Vault vault = vaults.find(id).orElseThrow(() -> new NotFoundException("Vault", id));
        if (vault.status() != VaultStatus.ACTIVE) {
            throw new ConflictException(
                    "Vault " + id + " is " + vault.status().name().toLowerCase(java.util.Locale.ROOT)
                            + "; only an active vault can be rebuilt");
        }
        var repository = storage.open(vault);
        var manifests = repository.list();
        Map<String, RecoveryPoint> known = new HashMap<>();
        points.allOf(id).forEach(p -> known.put(p.id(), p));
        List<String> added = new ArrayList<>();
        List<String> fixed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<String> present = new HashSet<>();
        int unchanged = 0;
        for (var manifest : manifests) {
            var labels = manifest.labels();
            String assetId = labels.get(RecoveryPointLabels.ASSET_ID);
            String kind = labels.get(RecoveryPointLabels.KIND);
            if (assetId == null || kind == null) {
                skipped.add(manifest.id());
                continue;
            }
            present.add(manifest.id());
            Map<String, String> source = new HashMap<>();
            labels.forEach((k, v) -> {
                if (k.startsWith(RecoveryPointLabels.SOURCE_PREFIX)) {
                    source.put(k.substring(RecoveryPointLabels.SOURCE_PREFIX.length()), v);
                }
            });
            var point = new RecoveryPoint(
                    manifest.id(),
                    id,
                    assetId,
                    WireNames.parse(RecoveryPointKind.class, kind),
                    manifest.time(),
                    manifest.parent(),
                    manifest.logicalSize(),
                    manifest.bytesAdded(),
                    labels.get(RecoveryPointLabels.JOB_ID),
                    source,
                    ScanStatus.UNSCANNED,
                    null,
                    RecoveryPointState.AVAILABLE,
                    null);
            if (!points.upsertFromManifest(point)) {
                unchanged++;
            } else if (known.containsKey(point.id())) {
                fixed.add(point.id());
            } else {
                added.add(point.id());
            }
        }
        List<String> removed = new ArrayList<>();
        var now = clock.instant();
        for (var row : known.values()) {
            if (!present.contains(row.id())) {
                points.markMissing(row.id(), now);
                removed.add(row.id());
            }
        }
        long count = points.allOf(id).stream()
                .filter(p -> p.state() == RecoveryPointState.AVAILABLE)
                .count();
        long stored = repository.stats().storedBytes();
        vaults.resetCounters(id, count, stored, now);
        return new RebuildReport(id, manifests.size(), added, fixed, unchanged, removed, skipped, count, stored);
    }
}
