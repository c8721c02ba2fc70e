package io.cloudconnector.common.id;

/** The kinds of prefixed ids the connector hands out. */
public enum IdKind {
    VAULT("vlt-"),
    RECOVERY_POINT("rp-"),
    JOB("j-");

    private final String prefix;

    IdKind(String prefix) {
        this.prefix = prefix;
    }

    /** The prefix, dash included. */
    public String prefix() {
        return prefix;
    }

    String next() {
        return prefix + Ids.ulid();
    }
}
