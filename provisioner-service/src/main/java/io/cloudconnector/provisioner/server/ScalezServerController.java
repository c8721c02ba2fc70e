package io.cloudconnector.provisioner.server;

import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import io.cloudconnector.provisioner.vault.Vault;
import io.cloudconnector.provisioner.vault.VaultRepository;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/scalez-servers}: the ScaleZ servers the provisioner runs, newest first, optionally of one vault; and
 * {@code POST /v1/vaults/{id}/scalez-servers:stop}, which drains a vault's servers now. A vault id this connector
 * does not know (or has deleted) is a 404, whoever's it is.
 */
@RestController
class ScalezServerController {

    private final ScalezServerRepository servers;
    private final VaultRepository vaults;
    private final Provisioner provisioner;

    ScalezServerController(ScalezServerRepository servers, VaultRepository vaults, Provisioner provisioner) {
        this.servers = servers;
        this.vaults = vaults;
        this.provisioner = provisioner;
    }

    @GetMapping("/v1/scalez-servers")
    @RequiresScope(Scopes.VAULTS_READ)
    Page<ScalezServer> list(
            @RequestParam(required = false) @Nullable String vaultId,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        var page = PageRequest.of(limit, pageToken);
        if (vaultId != null) {
            known(vaultId, "vaultId");
        }
        return servers.list(page, vaultId);
    }

    @PostMapping("/v1/vaults/{id}/scalez-servers:stop")
    @RequiresScope(Scopes.VAULTS_WRITE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    Page<ScalezServer> stop(@PathVariable String id) {
        known(id, "id");
        return new Page<>(provisioner.stopAll(id), null);
    }

    private Vault known(String vaultId, String field) {
        if (!Ids.isValid(IdKind.VAULT, vaultId)) {
            throw new InvalidInputException(field, "must be a vault id (vlt-<ulid>)");
        }
        return vaults.find(vaultId)
                .filter(v -> !v.deleted())
                .orElseThrow(() -> new NotFoundException("vault", vaultId));
    }
}
