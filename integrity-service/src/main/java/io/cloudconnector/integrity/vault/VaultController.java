package io.cloudconnector.integrity.vault;

import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import jakarta.validation.Valid;
import java.time.Clock;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/integrity/vaults}: the vaults integrity knows, and their {@code autoScan} setting. */
@RestController
@RequestMapping("/v1/integrity/vaults")
class VaultController {

    private final VaultRepository vaults;
    private final Clock clock;

    VaultController(VaultRepository vaults, Clock clock) {
        this.vaults = vaults;
        this.clock = clock;
    }

    @GetMapping
    @RequiresScope(Scopes.INTEGRITY_READ)
    Page<VaultRecord> list(
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return vaults.list(PageRequest.of(limit, pageToken));
    }

    @PutMapping("/{id}/settings")
    @RequiresScope(Scopes.INTEGRITY_WRITE)
    VaultRecord settings(@PathVariable String id, @Valid @RequestBody VaultSettings settings) {
        // Conditional on the vault being live: a deletion arriving meanwhile is not undone.
        return vaults.updateSettings(id, settings.autoScan(), clock.instant())
                .orElseThrow(() -> new NotFoundException("Vault", id));
    }
}
