package io.cloudconnector.catalog.recoverypoint;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.id.IdKind;
import io.cloudconnector.common.id.Ids;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.FieldProblem;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import io.cloudconnector.scalez.model.RecoveryPointLockedException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/recovery-points}: what the vaults hold, newest first. */
@RestController
@RequestMapping("/v1/recovery-points")
class RecoveryPointController {

    private final RecoveryPointService points;
    private final RecoveryPointLocks locks;
    private final Clock clock;

    RecoveryPointController(RecoveryPointService points, RecoveryPointLocks locks, Clock clock) {
        this.points = points;
        this.locks = locks;
        this.clock = clock;
    }

    /**
     * A point with its Object Lock from the engine's records ({@code lockedUntil}, {@code legalHold}; null when its
     * vault has no Object Lock or its repository cannot be read).
     */
    record RecoveryPointDetail(
            @JsonUnwrapped RecoveryPoint point,
            @Nullable Instant lockedUntil,
            @Nullable String lockMode,
            @Nullable Boolean legalHold) {}

    @GetMapping
    @RequiresScope(Scopes.VAULTS_READ)
    Page<RecoveryPoint> list(
            @RequestParam(required = false) @Nullable String vaultId,
            @RequestParam(required = false) @Nullable String assetId,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        List<FieldProblem> problems = new ArrayList<>();
        if (vaultId != null && !Ids.isValid(IdKind.VAULT, vaultId)) {
            problems.add(new FieldProblem("vaultId", "must be a vault id (vlt-…)"));
        }
        if (assetId != null && !assetId.matches("aws:(ebs|ec2):\\d{12}:[a-z0-9-]+:(vol|i)-[0-9a-f]+")) {
            problems.add(new FieldProblem("assetId", "must be an asset id (aws:ebs:… or aws:ec2:…)"));
        }
        ScanStatus scanStatus = null;
        if (status != null) {
            try {
                scanStatus = WireNames.parse(ScanStatus.class, status);
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("status", String.valueOf(e.getMessage())));
            }
        }
        Instant fromTime = instant("from", from, problems);
        Instant toTime = instant("to", to, problems);
        if (fromTime != null && toTime != null && fromTime.isAfter(toTime)) {
            problems.add(new FieldProblem("to", "must not be before from"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        return points.list(
                new RecoveryPointRepository.Filter(vaultId, assetId, scanStatus, fromTime, toTime),
                PageRequest.of(limit, pageToken));
    }

    @GetMapping("/{id}")
    @RequiresScope(Scopes.VAULTS_READ)
    RecoveryPointDetail get(@PathVariable String id) {
        var point = points.get(checked(id));
        var lock = locks.state(point).orElse(null);
        return lock == null
                ? new RecoveryPointDetail(point, null, null, null)
                : new RecoveryPointDetail(point, lock.lockedUntil(), lock.mode(), lock.legalHold());
    }

    @DeleteMapping("/{id}")
    @RequiresScope(Scopes.VAULTS_WRITE)
    ResponseEntity<RecoveryPoint> delete(@PathVariable String id) {
        var point = points.get(checked(id));
        RecoveryPointLocks.@Nullable LockState lock = null;
        if (point.state() != RecoveryPointState.DELETED) {
            lock = locks.state(point).orElse(null);
            var now = clock.instant();
            if (lock != null
                    && (lock.legalHold()
                            || (lock.lockedUntil() != null && lock.lockedUntil().isAfter(now)))) {
                throw RecoveryPointLocks.locked(
                        new RecoveryPointLockedException(id, lock.lockedUntil(), lock.legalHold(), "locked"));
            }
        }
        // With the engine's records read, they decide; without them, the vault's setting (created + days) does.
        return ResponseEntity.accepted().body(points.delete(id, lock != null && lock.lockedUntil() != null));
    }

    /** Puts or removes a legal hold on every object the point needs: {@code {"on": true|false}}. */
    @PutMapping("/{id}/legal-hold")
    @RequiresScope(Scopes.VAULTS_UNLOCK)
    RecoveryPointLocks.LockState legalHold(
            @PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
        checked(id);
        var on = body == null || !body.isObject() ? null : body.get("on");
        if (on == null || !on.isBoolean()) {
            throw new InvalidInputException("on", "must be true or false");
        }
        return locks.legalHold(id, on.booleanValue());
    }

    /**
     * Moves the point's lock end: {@code {"until": "<ISO instant>"}}. Extending is always allowed; shortening or
     * lifting a governance lock uses the bypass; a compliance lock cannot be shortened (409).
     */
    @PutMapping("/{id}/lock")
    @RequiresScope(Scopes.VAULTS_UNLOCK)
    RecoveryPointLocks.LockState lock(@PathVariable String id, @RequestBody(required = false) @Nullable JsonNode body) {
        checked(id);
        var until = body == null || !body.isObject() ? null : body.get("until");
        if (until == null || !until.isString()) {
            throw new InvalidInputException("until", "must be an ISO-8601 UTC time such as 2027-01-31T00:00:00Z");
        }
        Instant at;
        try {
            at = Instant.parse(until.asString());
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("until", "must be an ISO-8601 UTC time such as 2027-01-31T00:00:00Z");
        }
        return locks.changeLock(id, at);
    }

    private static String checked(String id) {
        if (!Ids.isValid(IdKind.RECOVERY_POINT, id)) {
            throw new NotFoundException("Recovery point", id);
        }
        return id;
    }

    private static @Nullable Instant instant(String name, @Nullable String value, List<FieldProblem> problems) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(name, "must be an ISO-8601 UTC time such as 2026-11-26T10:00:00Z"));
            return null;
        }
    }
}
