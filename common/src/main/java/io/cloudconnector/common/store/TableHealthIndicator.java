package io.cloudconnector.common.store;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Ready only when the service's table answers and is ACTIVE. */
public final class TableHealthIndicator extends AbstractHealthIndicator {

    private final ServiceTable table;

    public TableHealthIndicator(ServiceTable table) {
        super("DynamoDB table check failed");
        this.table = table;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (table.isActive()) {
            builder.up().withDetail("table", table.name());
        } else {
            builder.outOfService().withDetail("table", table.name());
        }
    }
}
