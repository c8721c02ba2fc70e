package io.cloudconnector.backgroundjobs.restore;

import io.cloudconnector.common.event.JobKind;
import io.cloudconnector.common.event.RecoveryPointKind;
import io.cloudconnector.common.event.WireNames;

/** The kinds of restore target, and which recovery points each takes. */
enum RestoreTargetType {
    EBS_SNAPSHOT(RecoveryPointKind.EBS),
    EBS_VOLUME(RecoveryPointKind.EBS),
    EC2_INSTANCE(RecoveryPointKind.EC2);

    private final RecoveryPointKind restores;

    RestoreTargetType(RecoveryPointKind restores) {
        this.restores = restores;
    }

    RecoveryPointKind restores() {
        return restores;
    }

    JobKind jobKind() {
        return restores == RecoveryPointKind.EBS ? JobKind.EBS_RESTORE : JobKind.EC2_RESTORE;
    }

    String wireName() {
        return WireNames.of(this);
    }
}
