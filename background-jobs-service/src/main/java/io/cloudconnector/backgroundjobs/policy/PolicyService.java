package io.cloudconnector.backgroundjobs.policy;

import io.cloudconnector.common.event.PolicyChanged;
import io.cloudconnector.common.event.PolicyDeleted;
import io.cloudconnector.common.idempotency.Idempotency;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import io.cloudconnector.common.web.PreconditionFailedException;
import java.net.URI;
import java.time.Clock;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * The policies' life cycle: every change is validated, stored (conditionally on the version read), announced with
 * {@code PolicyChanged} / {@code PolicyDeleted} (what the inventory learns policies from) and applied to the
 * policy's schedule.
 */
@Service
class PolicyService {

    private static final Logger log = LoggerFactory.getLogger(PolicyService.class);
    private static final String OPERATION = "POST /v1/policies";
    private static final Pattern ETAG = Pattern.compile("(?:W/)?\"?(\\d{1,18})\"?");

    private final PolicyStore store;
    private final PolicyRunStore runs;
    private final PolicyValidator validator;
    private final PolicySchedules schedules;
    private final PolicyTicks ticks;
    private final EventPublisher events;
    private final Idempotency idempotency;
    private final Clock clock;

    PolicyService(
            PolicyStore store,
            PolicyRunStore runs,
            PolicyValidator validator,
            PolicySchedules schedules,
            PolicyTicks ticks,
            EventPublisher events,
            Idempotency idempotency,
            Clock clock) {
        this.store = store;
        this.runs = runs;
        this.validator = validator;
        this.schedules = schedules;
        this.ticks = ticks;
        this.events = events;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    ResponseEntity<Policy> create(PolicyRequest request, @Nullable String key) {
        return idempotency.respond(OPERATION, key, request, Policy.class, claim -> {
            var now = clock.instant();
            var policy = validator.check(request, "pol-" + io.cloudconnector.common.id.Ids.ulid(), 1, now, now, null);
            var answer = ResponseEntity.created(URI.create("/v1/policies/" + policy.id()))
                    .header(HttpHeaders.ETAG, etag(policy))
                    .body(policy);
            store.create(policy, claim, answer);
            applied(policy);
            return answer;
        });
    }

    Policy get(String id) {
        return store.get(id);
    }

    Page<Policy> list(PageRequest page) {
        return store.list(page);
    }

    Page<PolicyRun> runs(String id, PageRequest page) {
        store.get(id);
        return runs.list(id, page);
    }

    Policy replace(String id, PolicyRequest request, @Nullable String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw PreconditionFailedException.required(
                    "PUT needs If-Match with the policy's version (its ETag), e.g. If-Match: \"3\"");
        }
        var previous = store.get(id);
        var matcher = ETAG.matcher(ifMatch.strip());
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) != previous.version()) {
            throw PreconditionFailedException.stale(
                    "policy " + id + " is at version " + previous.version() + ", not " + ifMatch.strip());
        }
        var now = clock.instant();
        var policy = validator.check(request, id, previous.version() + 1, previous.createdAt(), now, previous);
        store.replace(previous, policy);
        applied(policy);
        return policy;
    }

    void delete(String id) {
        var policy = store.get(id);
        if (store.delete(policy)) {
            schedules.delete(id);
            events.publish(new PolicyDeleted(id, policy.version() + 1), id);
        }
    }

    Policy pause(String id, String reason) {
        return setPaused(store.get(id), true, reason);
    }

    Policy resume(String id) {
        return setPaused(store.get(id), false, null);
    }

    /** Pauses every policy of a deleted vault, saying so. */
    void vaultDeleted(String vaultId) {
        for (var policy : store.all()) {
            if (policy.vaultId().equals(vaultId) && !Policy.PAUSED_VAULT_DELETED.equals(policy.pausedReason())) {
                setPaused(policy, true, Policy.PAUSED_VAULT_DELETED);
                log.info("Policy {} paused: its vault {} was deleted", policy.id(), vaultId);
            }
        }
    }

    /** {@code :run}: a run now, outside the schedule. */
    PolicyRun runNow(String id) {
        return ticks.runNow(store.get(id), PolicyRunStore.manualRunId());
    }

    private Policy setPaused(Policy policy, boolean paused, @Nullable String reason) {
        if (policy.paused() == paused && (!paused || java.util.Objects.equals(policy.pausedReason(), reason))) {
            return policy;
        }
        var changed = policy.paused(paused, reason, clock.instant());
        try {
            store.replace(policy, changed);
        } catch (PreconditionFailedException e) {
            // Changed meanwhile: apply to what is there now.
            return setPaused(store.get(policy.id()), paused, reason);
        }
        applied(changed);
        return changed;
    }

    private void applied(Policy policy) {
        schedules.put(policy);
        events.publish(
                new PolicyChanged(
                        policy.id(),
                        policy.version(),
                        policy.name(),
                        policy.vaultId(),
                        policy.intervalMinutes(),
                        policy.paused(),
                        policy.pausedReason(),
                        policy.scan(),
                        policy.selection().assetIds(),
                        policy.selection().tags(),
                        policy.selection().types(),
                        retention(policy.retention())),
                policy.id());
    }

    /** The rules as the catalog applies them: an unset rule is zero (disabled). */
    static PolicyChanged.@Nullable Retention retention(Policy.@Nullable Retention retention) {
        if (retention == null) {
            return null;
        }
        return new PolicyChanged.Retention(
                orZero(retention.keepLast()),
                orZero(retention.keepHourly()),
                orZero(retention.keepDaily()),
                orZero(retention.keepWeekly()),
                orZero(retention.keepMonthly()),
                orZero(retention.keepYearly()));
    }

    private static int orZero(@Nullable Integer count) {
        return count == null ? 0 : count;
    }

    static String etag(Policy policy) {
        return "\"" + policy.version() + "\"";
    }
}
