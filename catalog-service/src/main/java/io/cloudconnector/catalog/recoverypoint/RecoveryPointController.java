package io.cloudconnector.catalog.recoverypoint;

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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/recovery-points}: what the vaults hold, newest first. */
@RestController
@RequestMapping("/v1/recovery-points")
class RecoveryPointController {

    private final RecoveryPointService points;

    RecoveryPointController(RecoveryPointService points) {
        this.points = points;
    }

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
    RecoveryPoint get(@PathVariable String id) {
        return points.get(checked(id));
    }

    @DeleteMapping("/{id}")
    @RequiresScope(Scopes.VAULTS_WRITE)
    ResponseEntity<RecoveryPoint> delete(@PathVariable String id) {
        return ResponseEntity.accepted().body(points.delete(checked(id)));
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
