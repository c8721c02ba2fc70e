package io.cloudconnector.inventory.asset;

import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
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
    Page<Asset> list(@RequestParam(required = false) @Nullable String type,
            @RequestParam(required = false) @Nullable String state,
            @RequestParam(name = "tag", required = false) @Nullable List<String> tags,
            @RequestParam(name = "protected", required = false) @Nullable String isProtected,
            // A string, so that a malformed limit is reported with the other parameters, by name.
            @RequestParam(required = false) @Nullable String limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return assets.list(AssetQuery.parse(type, state, tags, isProtected, limit, pageToken));
    }

    @GetMapping("/{id}")
    @RequiresScope(Scopes.ASSETS_READ)
    Asset get(@PathVariable String id) {
        return assets.find(id).orElseThrow(() -> new NotFoundException("Asset", id));
    }
}
