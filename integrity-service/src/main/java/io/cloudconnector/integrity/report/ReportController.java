package io.cloudconnector.integrity.report;

import io.cloudconnector.common.event.WireNames;
import io.cloudconnector.common.security.RequiresScope;
import io.cloudconnector.common.security.Scopes;
import io.cloudconnector.common.web.InvalidInputException;
import io.cloudconnector.common.web.NotFoundException;
import io.cloudconnector.common.web.Page;
import io.cloudconnector.common.web.PageRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/integrity/reports}: account-check and scan reports, newest first. */
@RestController
@RequestMapping("/v1/integrity/reports")
class ReportController {

    private final ReportRepository reports;

    ReportController(ReportRepository reports) {
        this.reports = reports;
    }

    @GetMapping
    @RequiresScope(Scopes.INTEGRITY_READ)
    Page<Report> list(
            @RequestParam(required = false) @Nullable String kind,
            @RequestParam(required = false) @Nullable String recoveryPointId,
            @RequestParam(required = false) @Nullable Integer limit,
            @RequestParam(required = false) @Nullable String pageToken) {
        ReportKind parsed = null;
        if (kind != null) {
            try {
                parsed = WireNames.parse(ReportKind.class, kind);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("kind", String.valueOf(e.getMessage()));
            }
        }
        if (recoveryPointId != null && recoveryPointId.isBlank()) {
            throw new InvalidInputException("recoveryPointId", "must not be blank");
        }
        return reports.list(parsed, recoveryPointId, PageRequest.of(limit, pageToken));
    }

    @GetMapping("/{id}")
    @RequiresScope(Scopes.INTEGRITY_READ)
    Report get(@PathVariable String id) {
        return reports.find(id).orElseThrow(() -> new NotFoundException("Report", id));
    }
}
