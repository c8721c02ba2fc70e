package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/assets}: the region's EC2 instances and EBS volumes, and whether they are protected. */
@RestController
@RequestMapping("/v1/assets")
class AssetController {

    private final AssetRepository assets;

    AssetController(AssetRepository assets) {
        this.assets = assets;
    }

    @GetMapping
    @RequiresScope(Scopes.ASSETS_READ)
    Page<Asset> list(
            @RequestParam(required = false) @Nullable String type,
            @RequestParam(required = false) @Nullable String state,
            @RequestParam(name = "tag", required = false) @Nullable List<String> tags,
            @RequestParam(name = "protected", required = false) @Nullable String isProtected,
            @RequestParam(required = false) @Nullable String protection,
            // A string, so that a malformed limit is reported with the other parameters, by name.
            @RequestParam(required = false) @Nullable String limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return assets.list(AssetQuery.parse(type, state, tags, isProtected, protection, limit, pageToken));
    }

    @GetMapping("/{id}")
    @RequiresScope(Scopes.ASSETS_READ)
    Asset get(@PathVariable String id) {
        return assets.find(id).orElseThrow(() -> new NotFoundException("Asset", id));
    }

    /**
     * The newest recovery point of the asset that a scan found clean (the one to restore after an attack), from
     * the integrity service's {@code RecoveryPointScanned} events. 404 for an unknown asset, and for an asset with
     * no clean recovery point yet (none, none scanned, or all suspicious or infected).
     */
    @GetMapping("/{id}/last-clean-recovery-point")
    @RequiresScope(Scopes.ASSETS_READ)
    LastCleanRecoveryPoint lastClean(@PathVariable String id) {
        ProtectionSummary protection = get(id).recoveryPoints();
        String recoveryPointId = protection.lastCleanRecoveryPointId();
        Instant createdAt = protection.lastCleanRecoveryPointAt();
        if (recoveryPointId == null || createdAt == null) {
            throw new NotFoundException("Clean recovery point of asset", id);
        }
        return new LastCleanRecoveryPoint(id, recoveryPointId, createdAt);
    }

    /** The answer of {@code GET /v1/assets/{id}/last-clean-recovery-point}. */
    record LastCleanRecoveryPoint(String assetId, String recoveryPointId, Instant createdAt) {}
}
