package io.cloudconnector.common.id;

/** The kinds of prefixed ids the connector hands out. */
public enum IdKind {
    VAULT("vlt-", true),
    RECOVERY_POINT("rp-", false),
    JOB("j-", false);

    private final String prefix;
    private final boolean lowerCase;

    IdKind(String prefix, boolean lowerCase) {
        this.prefix = prefix;
        this.lowerCase = lowerCase;
    }

    /** The prefix, dash included. */
    public String prefix() {
        return prefix;
    }

    /** Whether the ULID part is written in lower case (vault ids, which name S3 buckets). */
    public boolean lowerCase() {
        return lowerCase;
    }

    String next() {
        String ulid = Ids.ulid();
        return prefix + (lowerCase ? ulid.toLowerCase(java.util.Locale.ROOT) : ulid);
    }
}
