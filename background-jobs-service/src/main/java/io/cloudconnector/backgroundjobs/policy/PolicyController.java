package io.cloudconnector.backgroundjobs.policy;

import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
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

/** {@code /v1/policies}: protection policies, their runs, run-now, pause and resume (docs/policies.md). */
@RestController
@RequestMapping("/v1/policies")
class PolicyController {

    private final PolicyService policies;

    PolicyController(PolicyService policies) {
        this.policies = policies;
    }

    @PostMapping
    @RequiresScope(Scopes.POLICIES_WRITE)
    ResponseEntity<Policy> create(
            @RequestBody PolicyRequest request,
            @RequestHeader(name = Idempotency.KEY_HEADER, required = false) @Nullable String idempotencyKey) {
        return policies.create(request, Idempotency.checkKey(idempotencyKey));
    }

    @GetMapping
    @RequiresScope(Scopes.POLICIES_READ)
    Page<Policy> list(
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return policies.list(PageRequest.of(limit, pageToken));
    }

    @GetMapping("/{id}")
    @RequiresScope(Scopes.POLICIES_READ)
    ResponseEntity<Policy> get(@PathVariable String id) {
        return withEtag(policies.get(id));
    }

    @PutMapping("/{id}")
    @RequiresScope(Scopes.POLICIES_WRITE)
    ResponseEntity<Policy> replace(
            @PathVariable String id,
            @RequestBody PolicyRequest request,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch) {
        return withEtag(policies.replace(id, request, ifMatch));
    }

    @DeleteMapping("/{id}")
    @RequiresScope(Scopes.POLICIES_WRITE)
    ResponseEntity<Void> delete(@PathVariable String id) {
        policies.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}:run")
    @RequiresScope(Scopes.POLICIES_WRITE)
    ResponseEntity<Map<String, String>> run(@PathVariable String id) {
        var run = policies.runNow(id);
        return ResponseEntity.accepted().body(Map.of("runId", run.id()));
    }

    @PostMapping("/{id}:pause")
    @RequiresScope(Scopes.POLICIES_WRITE)
    ResponseEntity<Policy> pause(@PathVariable String id) {
        return withEtag(policies.pause(id, Policy.PAUSED_BY_USER));
    }

    @PostMapping("/{id}:resume")
    @RequiresScope(Scopes.POLICIES_WRITE)
    ResponseEntity<Policy> resume(@PathVariable String id) {
        return withEtag(policies.resume(id));
    }

    @GetMapping("/{id}/runs")
    @RequiresScope(Scopes.POLICIES_READ)
    Page<PolicyRun> runs(
            @PathVariable String id,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        return policies.runs(id, PageRequest.of(limit, pageToken));
    }

    private static ResponseEntity<Policy> withEtag(Policy policy) {
        return ResponseEntity.ok()
                .header(HttpHeaders.ETAG, PolicyService.etag(policy))
                .body(policy);
    }
}
