package io.cloudconnector.e2e.local;

import io.cloudconnector.common.security.Scopes;

/** The six services of a local stack, their default ports and the read endpoint the smoke flow calls. */
enum LocalService {
    CATALOG("catalog", 8081, "/v1/vaults", Scopes.VAULTS_READ),
    PROVISIONER("provisioner", 8082, "/v1/scalez-servers", Scopes.VAULTS_READ),
    JOBSTATUS("jobstatus", 8083, "/v1/jobs", Scopes.JOBS_READ),
    BACKGROUND_JOBS("background-jobs", 8084, "/v1/backups", Scopes.JOBS_READ),
    INTEGRITY("integrity", 8085, "/v1/integrity/reports", Scopes.INTEGRITY_READ),
    INVENTORY("inventory", 8086, "/v1/assets", Scopes.ASSETS_READ);

    private final String serviceName;
    private final int defaultPort;
    private final String readPath;
    private final String readScope;

    LocalService(String serviceName, int defaultPort, String readPath, String readScope) {
        this.serviceName = serviceName;
        this.defaultPort = defaultPort;
        this.readPath = readPath;
        this.readScope = readScope;
    }

    String serviceName() {
        return serviceName;
    }

    int defaultPort() {
        return defaultPort;
    }

    String readPath() {
        return readPath;
    }

    String readScope() {
        return readScope;
    }

    /** The port from {@code CONNECTOR_PORT_<SERVICE>} if set, else the default. */
    int port() {
        String override = System.getenv("CONNECTOR_PORT_" + name());
        return override == null || override.isBlank() ? defaultPort : Integer.parseInt(override.strip());
    }
}
