package io.cloudconnector.scalez.maintenance;

import io.cloudconnector.scalez.model.RecoveryPoint;
import java.util.List;

/** What a retention run kept and removed. */
public record ForgetResult(List<RecoveryPoint> kept, List<RecoveryPoint> removed) {

    public ForgetResult {
        kept = List.copyOf(kept);
        removed = List.copyOf(removed);
    }
}
