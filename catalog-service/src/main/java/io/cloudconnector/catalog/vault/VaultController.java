package io.cloudconnector.catalog.vault;

import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.ForbiddenException;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/vaults}: the connector's vaults. */
@RestController
@RequestMapping("/v1/vaults")
class VaultController {

    private final VaultService vaults;

    VaultController(VaultService vaults) {
        this.vaults = vaults;
    }

    @PostMapping
    @RequiresScope(Scopes.VAULTS_WRITE)
    ResponseEntity<Vault> create(
            @Valid @RequestBody CreateVaultRequest request,
            @RequestHeader(name = Idempotency.KEY_HEADER, required = false) @Nullable String idempotencyKey) {
        String key = Idempotency.checkKey(idempotencyKey);
        request.capacity(); // an unknown scalezCapacity is a 400 naming it, before anything is looked up
        return vaults.create(request, key);
    }

    @GetMapping
    @RequiresScope(Scopes.VAULTS_READ)
    Page<Vault> list(
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return vaults.list(PageRequest.of(limit, pageToken));
    }

    @GetMapping("/{id}")
    @RequiresScope(Scopes.VAULTS_READ)
    Vault get(@PathVariable String id) {
        return vaults.get(checked(id));
    }

    /**
     * Deletes an empty vault, or with {@code purge=true} (which also needs scope {@code vaults:unlock}) a vault with
     * everything it holds.
     */
    @DeleteMapping("/{id}")
    @RequiresScope(Scopes.VAULTS_WRITE)
    ResponseEntity<Vault> delete(
            @PathVariable String id,
            @RequestParam(name = VaultService.PURGE, required = false) @Nullable String purge,
            Authentication caller) {
        boolean purging = switch (purge == null ? "false" : purge) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException(VaultService.PURGE, "must be true or false");
        };
        if (!purging) {
            return ResponseEntity.accepted().body(vaults.delete(checked(id)));
        }
        boolean unlock = caller.getAuthorities().stream()
                .anyMatch(a -> ("SCOPE_" + Scopes.VAULTS_UNLOCK).equals(a.getAuthority()));
        if (!unlock) {
            throw new ForbiddenException("purge=true deletes a vault's data: it needs scope " + Scopes.VAULTS_UNLOCK);
        }
        return ResponseEntity.accepted().body(vaults.purge(checked(id)));
    }

    @PostMapping("/{id}/maintenance")
    @RequiresScope(Scopes.VAULTS_WRITE)
    ResponseEntity<VaultService.JobAccepted> maintain(@PathVariable String id) {
        return vaults.requestMaintenance(checked(id));
    }

    @PutMapping("/{id}/retention")
    @RequiresScope(Scopes.VAULTS_WRITE)
    Vault setRetention(@PathVariable String id, @Valid @RequestBody RetentionSettings retention) {
        return vaults.setRetention(checked(id), retention);
    }

    /** A malformed id cannot name a vault: the same answer as an unknown one, without a table read. */
    private static String checked(String id) {
        if (!Ids.isValid(IdKind.VAULT, id)) {
            throw new NotFoundException("Vault", id);
        }
        return id;
    }
}
