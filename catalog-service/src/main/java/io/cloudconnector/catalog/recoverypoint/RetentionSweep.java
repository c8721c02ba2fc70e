package io.cloudconnector.catalog.recoverypoint;

import io.cloudconnector.catalog.vault.RetentionSettings;
import io.cloudconnector.catalog.vault.Vault;
import io.cloudconnector.catalog.vault.VaultRepository;
import io.cloudconnector.catalog.vault.VaultStatus;
import io.cloudconnector.common.event.PolicyChanged;
import io.cloudconnector.common.event.RecoveryPointExpired;
import io.cloudconnector.common.event.RecoveryPointLabels;
import io.cloudconnector.common.messaging.EventPublisher;
import io.cloudconnector.scalez.maintenance.RetentionPolicy;
import io.cloudconnector.scalez.model.SourceKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Applies retention on a schedule, per asset: a recovery point a protection policy made (its
 * {@code source.policy-id}) by that policy's rules, as the last {@code PolicyChanged} gave them; every other point
 * (made by hand, by a deleted policy, or by a policy the catalog has not heard of) by its vault's rules. The points
 * the rules do not keep are marked expired and announced with {@link RecoveryPointExpired} (the background jobs
 * forget them and a prune reclaims their data). A point still held by the vault's Object Lock waits for a later
 * sweep. Running it twice, or on two replicas, expires each point once: the state change is conditional.
 */
@Component
class RetentionSweep {

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);
    private static final String VAULT_RULES = "";

    private final VaultRepository vaults;
    private final RecoveryPointRepository points;
    private final PolicyRetentions policies;
    private final EventPublisher events;
    private final Clock clock;

    RetentionSweep(
            VaultRepository vaults,
            RecoveryPointRepository points,
            PolicyRetentions policies,
            EventPublisher events,
            Clock clock) {
        this.vaults = vaults;
        this.points = points;
        this.policies = policies;
        this.events = events;
        this.clock = clock;
    }

    @Scheduled(
            fixedDelayString = "${connector.vaults.retention-sweep-interval:1h}",
            initialDelayString = "${connector.vaults.retention-sweep-interval:1h}")
    void sweepAll() {
        Map<String, Optional<PolicyChanged.Retention>> rules = new HashMap<>();
        for (Vault vault : vaults.inStatus(VaultStatus.ACTIVE)) {
            try {
                sweep(vault, rules);
            } catch (RuntimeException e) {
                log.warn("Retention sweep of vault {} stopped: {}", vault.id(), e.getMessage(), e);
            }
        }
    }

    /** Expires what the rules that apply to each point do not keep; returns the ids it expired. */
    List<String> sweep(Vault vault) {
        return sweep(vault, new HashMap<>());
    }

    private List<String> sweep(Vault vault, Map<String, Optional<PolicyChanged.Retention>> known) {
        // Each point goes to the rules it is judged by: its policy's, or the vault's (VAULT_RULES).
        Map<String, List<RecoveryPoint>> byRules = new LinkedHashMap<>();
        for (RecoveryPoint point : points.allOf(vault.id())) {
            if (point.state() != RecoveryPointState.AVAILABLE) {
                continue;
            }
            String policyId = point.source().get(RecoveryPointLabels.SOURCE_POLICY_ID);
            String group = policyId != null
                            && known.computeIfAbsent(
                                            policyId,
                                            id -> policies.find(id).flatMap(PolicyRetentions.Known::applicable))
                                    .isPresent()
                    ? policyId
                    : VAULT_RULES;
            byRules.computeIfAbsent(group, g -> new ArrayList<>()).add(point);
        }
        var now = clock.instant();
        List<String> expired = new ArrayList<>();
        for (var group : byRules.entrySet()) {
            RetentionPolicy rules = group.getKey().equals(VAULT_RULES)
                    ? vaultRules(vault.retention())
                    : policyRules(
                            known.getOrDefault(group.getKey(), Optional.empty()).orElseThrow());
            if (rules == null) {
                continue;
            }
            expired.addAll(expire(vault, group.getValue(), rules, now));
        }
        if (!expired.isEmpty()) {
            log.info("Retention of vault {} expired {} recovery points", vault.id(), expired.size());
        }
        return expired;
    }

    private List<String> expire(Vault vault, List<RecoveryPoint> available, RetentionPolicy rules, Instant now) {
        // The engine groups by kind and source; here the source is the asset, so each asset is judged alone.
        Set<String> keep = rules.keep(available.stream()
                .map(p -> new io.cloudconnector.scalez.model.RecoveryPoint(
                        p.id(),
                        SourceKind.BLOCK,
                        p.createdAt(),
                        p.parentRecoveryPointId(),
                        p.assetId(),
                        Map.of(),
                        p.logicalBytes(),
                        0,
                        0,
                        Duration.ZERO))
                .toList());
        List<String> expired = new ArrayList<>();
        for (RecoveryPoint point : available) {
            if (keep.contains(point.id())) {
                continue;
            }
            if (vault.objectLock() != null
                    && vault.objectLock().heldUntil(point.createdAt()).isAfter(now)) {
                continue;
            }
            if (points.transition(point.id(), vault.id(), RecoveryPointState.EXPIRED, now)) {
                events.publish(new RecoveryPointExpired(point.id(), vault.id(), point.assetId()), null);
                expired.add(point.id());
            }
        }
        return expired;
    }

    private static @Nullable RetentionPolicy vaultRules(@Nullable RetentionSettings settings) {
        if (settings == null || settings.isEmpty()) {
            return null;
        }
        return new RetentionPolicy(
                settings.keepLast(),
                0,
                settings.keepDaily(),
                settings.keepWeekly(),
                settings.keepMonthly(),
                settings.keepYearly());
    }

    private static RetentionPolicy policyRules(PolicyChanged.Retention rules) {
        return new RetentionPolicy(
                rules.keepLast(),
                rules.keepHourly(),
                rules.keepDaily(),
                rules.keepWeekly(),
                rules.keepMonthly(),
                rules.keepYearly());
    }
}
