package io.cloudconnector.common.security;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The audience tenant tokens must carry: {@code <account>:<region>:<connectorId>}, e.g.
 * {@code 123456789012:eu-west-1:cc-prod}. The connector id alone is chosen by the customer and need not be unique
 * across accounts; a token minted for one account's connector must not open another's.
 */
public final class ConnectorAudience {

    private ConnectorAudience() {}

    /** {@code <account>:<region>:<connectorId>}. */
    public static String of(String account, String region, String connectorId) {
        if (!account.matches("\\d{12}")) {
            throw new IllegalArgumentException("An AWS account id has 12 digits, not '" + account + "'");
        }
        if (region.isBlank() || connectorId.isBlank()) {
            throw new IllegalArgumentException("The region and the connector id must be set");
        }
        return account + ":" + region + ":" + connectorId;
    }

    /**
     * The audience to check: {@code configured} ({@code connector.security.audience}) when set, else built from the
     * account ({@code account} when set, else asked of {@code callerAccount}: STS), the region and the connector id.
     */
    public static String resolve(
            @Nullable String configured,
            @Nullable String account,
            Supplier<String> callerAccount,
            String region,
            String connectorId) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String resolvedAccount = account != null && !account.isBlank() ? account : callerAccount.get();
        return of(resolvedAccount.strip(), region, connectorId);
    }
}
