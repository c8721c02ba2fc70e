package io.cloudconnector.infra;

import java.util.List;

/** One of the six services connector.yaml runs: its name (in resource names and event sources), logical-id prefix and port. */
record ConnectorService(String name, String logicalPrefix, int port) {

    /** The six services, in the order of their ports (the README's table). */
    static final List<ConnectorService> ALL = List.of(
            new ConnectorService("catalog", "Catalog", 8081),
            new ConnectorService("provisioner", "Provisioner", 8082),
            new ConnectorService("jobstatus", "Jobstatus", 8083),
            new ConnectorService("background-jobs", "BackgroundJobs", 8084),
            new ConnectorService("integrity", "Integrity", 8085),
            new ConnectorService("inventory", "Inventory", 8086));

    static ConnectorService named(String name) {
        return ALL.stream()
                .filter(service -> service.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    String taskRole() {
        return logicalPrefix + "TaskRole";
    }

    /** The output that holds one of this service's resource names, e.g. {@code CatalogInboxQueueUrl}. */
    String output(String suffix) {
        return logicalPrefix + suffix;
    }

    @Override
    public String toString() {
        return name;
    }
}
