package io.cloudconnector.common.security;

/** The scopes a token grants (docs/architecture.md, Security), one per kind of operation. */
public final class Scopes {

    public static final String VAULTS_READ = "vaults:read";
    public static final String VAULTS_WRITE = "vaults:write";
    /** Destroying what a vault holds beyond recovery points one by one: purging a vault with its data. */
    public static final String VAULTS_UNLOCK = "vaults:unlock";

    public static final String JOBS_READ = "jobs:read";
    public static final String JOBS_WRITE = "jobs:write";
    public static final String BACKUPS_WRITE = "backups:write";
    public static final String RESTORES_WRITE = "restores:write";
    /** Browsing a recovery point's files and downloading them: as sensitive as restoring them. */
    public static final String FILES_READ = "files:read";

    public static final String ASSETS_READ = "assets:read";
    public static final String ASSETS_WRITE = "assets:write";
    public static final String INTEGRITY_READ = "integrity:read";
    public static final String INTEGRITY_WRITE = "integrity:write";
    /** Reading protection policies and their runs. */
    public static final String POLICIES_READ = "policies:read";
    /** Creating, changing, pausing, running and deleting protection policies. */
    public static final String POLICIES_WRITE = "policies:write";
    /** Sending and reading the connector's wiring self-test (diagnostic pings). */
    public static final String DIAGNOSTICS = "diagnostics";

    /** Every scope, for minting an all-powerful local development token. */
    public static final java.util.List<String> ALL = java.util.List.of(
            VAULTS_READ,
            VAULTS_WRITE,
            VAULTS_UNLOCK,
            JOBS_READ,
            JOBS_WRITE,
            BACKUPS_WRITE,
            RESTORES_WRITE,
            FILES_READ,
            ASSETS_READ,
            ASSETS_WRITE,
            INTEGRITY_READ,
            INTEGRITY_WRITE,
            POLICIES_READ,
            POLICIES_WRITE,
            DIAGNOSTICS);

    private Scopes() {}
}
