package io.cloudconnector.integrity.check;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.cloudconnector.integrity.report.Outcome;
import org.jspecify.annotations.Nullable;

/** One check of one resource: pass, warn or fail, why, and (unless it passed) how to fix it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record CheckResult(
        String check,
        String resource,
        Outcome outcome,
        String reason,
        @Nullable String fix) {

    static CheckResult pass(String check, String resource, String reason) {
        return new CheckResult(check, resource, Outcome.PASS, reason, null);
    }

    static CheckResult warn(String check, String resource, String reason, String fix) {
        return new CheckResult(check, resource, Outcome.WARN, reason, fix);
    }

    static CheckResult fail(String check, String resource, String reason, String fix) {
        return new CheckResult(check, resource, Outcome.FAIL, reason, fix);
    }
}
