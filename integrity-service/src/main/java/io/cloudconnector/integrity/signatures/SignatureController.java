package io.cloudconnector.integrity.signatures;

import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/integrity/signatures:update} (202 with the {@code signatures-update} job) and
 * {@code GET /v1/integrity/signatures}: the signatures a scan starting now would load, their version and age.
 */
@RestController
class SignatureController {

    private final SignatureUpdates updates;
    private final Signatures signatures;

    SignatureController(SignatureUpdates updates, Signatures signatures) {
        this.updates = updates;
        this.signatures = signatures;
    }

    /** What {@code GET /v1/integrity/signatures} answers. */
    record SignaturesView(
            String source,
            String version,
            List<SignatureSet.Database> databases,
            @Nullable String location,
            @Nullable Instant builtAt,
            @Nullable Instant fetchedAt,
            @Nullable String age,
            @Nullable Long ageSeconds,
            String maxAge,
            boolean stale,
            boolean acceptable,
            @Nullable String explanation,
            List<String> notes) {}

    @PostMapping("/v1/integrity/signatures:update")
    @RequiresScope(Scopes.INTEGRITY_WRITE)
    ResponseEntity<SignatureUpdates.UpdateAccepted> update(
            @RequestHeader(name = Idempotency.KEY_HEADER, required = false) @Nullable String idempotencyKey) {
        return updates.request(Idempotency.checkKey(idempotencyKey));
    }

    @GetMapping("/v1/integrity/signatures")
    @RequiresScope(Scopes.INTEGRITY_READ)
    SignaturesView current() {
        var set = signatures.forScan();
        var freshness = signatures.freshness(set);
        var age = freshness.age();
        return new SignaturesView(
                set.source(),
                set.version(),
                set.databases(),
                set.location(),
                set.builtAt(),
                set.fetchedAt(),
                age == null ? null : age.toString(),
                age == null ? null : age.toSeconds(),
                freshness.maxAge().toString(),
                freshness.stale(),
                freshness.acceptable(),
                freshness.explanation(),
                set.notes());
    }
}
