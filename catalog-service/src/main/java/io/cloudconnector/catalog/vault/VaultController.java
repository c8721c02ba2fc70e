package io.cloudconnector.catalog.vault;

import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/vaults}: the connector's vaults. */
@RestController
@RequestMapping("/v1/vaults")
class VaultController {

    private final VaultRepository vaults;

    VaultController(VaultRepository vaults) {
        this.vaults = vaults;
    }

    @GetMapping
    @RequiresScope(Scopes.VAULTS_READ)
    Page<Vault> list(@RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return vaults.list(PageRequest.of(limit, pageToken));
    }

    @GetMapping("/{id}")
    @RequiresScope(Scopes.VAULTS_READ)
    Vault get(@PathVariable String id) {
        // A malformed id cannot name a vault: same answer as an unknown one, without a table read.
        if (!Ids.isValid(IdKind.VAULT, id)) {
            throw new NotFoundException("Vault", id);
        }
        return vaults.find(id).orElseThrow(() -> new NotFoundException("Vault", id));
    }
}
