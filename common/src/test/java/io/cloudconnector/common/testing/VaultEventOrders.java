package io.cloudconnector.common.testing;

import io.cloudconnector.common.event.ConnectorEvent;
import io.cloudconnector.common.event.EventEnvelope;
import io.cloudconnector.common.event.VaultCreated;
import io.cloudconnector.common.event.VaultDeleted;
import io.cloudconnector.common.id.Ids;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;

/**
 * The event-order suite of a vault directory, shared by common's own test of {@code VaultDirectory} and by each
 * consuming service's test of its inbox: a vault's events (its creation, a newer description of it, its deletion)
 * delivered in every possible order, each event twice. Whatever the order, the directory must end in the same
 * state: the one {@link Scenario} expects.
 *
 * <p>The newer description is a second {@code VaultCreated} of the vault with a later envelope (the catalog
 * publishing it again, with a different name so that a test sees which description won): the events carry no
 * version of their own, so the envelope's {@code time} and {@code id} order them.
 */
public final class VaultEventOrders {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    private VaultEventOrders() {}

    /** One delivery order of some events of one vault, and the state it must end in. */
    public record Scenario(
            String label,
            String vaultId,
            List<EventEnvelope> deliveries,
            VaultCreated expectedDescription,
            boolean expectDeleted,
            Instant expectedUpdatedAt) {

        /** Whether any of its events describes the vault (a creation arrived). */
        public boolean described() {
            return deliveries.stream().anyMatch(e -> e.payload() instanceof VaultCreated);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Every order of the creation, a newer description and the deletion, each delivered twice (90 scenarios). */
    public static List<Scenario> everyOrderOfAll() {
        return scenarios(true);
    }

    /**
     * Every order of every non-empty subset of the creation, the newer description and the deletion, each
     * delivered twice (111 scenarios).
     */
    public static List<Scenario> everyOrderOfEverySubset() {
        return scenarios(false);
    }

    private static List<Scenario> scenarios(boolean allOnly) {
        List<Scenario> scenarios = new ArrayList<>();
        for (int mask = allOnly ? 7 : 1; mask <= 7; mask++) {
            for (List<Integer> order : orders(mask)) {
                scenarios.add(scenario(mask, order));
            }
        }
        return scenarios;
    }

    private static final String[] NAMES = {"created", "redescribed", "deleted"};

    private static Scenario scenario(int mask, List<Integer> order) {
        String vaultId = Ids.vault();
        String bucket = "cc-test-" + vaultId;
        String key = "arn:aws:kms:us-east-1:123456789012:key/" + vaultId;
        var created = new VaultCreated(vaultId, "vault", "us-east-1", bucket, key);
        var redescribed = new VaultCreated(vaultId, "vault renamed", "us-east-1", bucket, key);
        List<EventEnvelope> events = List.of(
                envelope(created, START),
                envelope(redescribed, START.plusSeconds(1)),
                envelope(new VaultDeleted(vaultId), START.plusSeconds(2)));
        boolean deleted = (mask & 4) != 0;
        VaultCreated expected = (mask & 2) != 0 ? redescribed : created;
        Instant updatedAt = events.get(31 - Integer.numberOfLeadingZeros(mask)).time();
        String label = order.stream().map(i -> NAMES[i]).collect(Collectors.joining(", ", "[", "]"));
        return new Scenario(label, vaultId, order.stream().map(events::get).toList(), expected, deleted, updatedAt);
    }

    private static EventEnvelope envelope(ConnectorEvent event, Instant time) {
        return EventEnvelope.wrap(event, TestTokens.CONNECTOR_ID, null, Clock.fixed(time, ZoneOffset.UTC));
    }

    /** Every distinct sequence holding each event of {@code mask} twice. */
    private static List<List<Integer>> orders(int mask) {
        List<Integer> remaining = new ArrayList<>();
        for (int event = 0; event < 3; event++) {
            if ((mask & (1 << event)) != 0) {
                remaining.add(event);
                remaining.add(event);
            }
        }
        List<List<Integer>> result = new ArrayList<>();
        permute(new ArrayList<>(), remaining, result);
        return result;
    }

    private static void permute(List<Integer> prefix, List<Integer> remaining, List<List<Integer>> result) {
        if (remaining.isEmpty()) {
            result.add(List.copyOf(prefix));
            return;
        }
        for (int i = 0; i < remaining.size(); i++) {
            if (i > 0 && remaining.get(i).equals(remaining.get(i - 1))) {
                continue; // the same event as the one just tried here: the same sequences
            }
            prefix.add(remaining.remove(i));
            permute(prefix, remaining, result);
            remaining.add(i, prefix.removeLast());
        }
    }

    /**
     * A vault as a consumer reads it into its own type. A field the consumer does not keep is null and is not
     * compared.
     */
    public record Seen(
            boolean deleted,
            @Nullable String name,
            @Nullable String region,
            @Nullable String bucketName,
            @Nullable String kmsKeyArn,
            @Nullable Instant updatedAt) {}

    /**
     * Runs {@link #everyOrderOfAll()} through a consumer's inbox ({@code dispatch}) and checks, through the
     * consumer's own reads, that every order ends in the same vault: deleted, with the newest description, not
     * among the vaults it lists as active ({@code active}: the ids it lists, or null for a consumer that lists
     * none). Returns the scenarios, for checks of what only that consumer keeps.
     */
    public static List<Scenario> assertEveryOrderEndsTheSame(
            Consumer<EventEnvelope> dispatch,
            Function<String, Optional<Seen>> find,
            @Nullable Supplier<List<String>> active) {
        var scenarios = everyOrderOfAll();
        var softly = new SoftAssertions();
        for (var scenario : scenarios) {
            scenario.deliveries().forEach(dispatch);
            var expected = scenario.expectedDescription();
            softly.assertThat(find.apply(scenario.vaultId()))
                    .as("after %s", scenario)
                    .hasValueSatisfying(seen -> {
                        softly.assertThat(seen.deleted())
                                .as("deleted after %s", scenario)
                                .isTrue();
                        expect(softly, seen.name(), expected.name(), "name", scenario);
                        expect(softly, seen.region(), expected.region(), "region", scenario);
                        expect(softly, seen.bucketName(), expected.bucketName(), "bucket", scenario);
                        expect(softly, seen.kmsKeyArn(), expected.kmsKeyArn(), "key", scenario);
                        expect(softly, seen.updatedAt(), scenario.expectedUpdatedAt(), "updatedAt", scenario);
                    });
            if (active != null) {
                softly.assertThat(active.get()).as("active after %s", scenario).doesNotContain(scenario.vaultId());
            }
        }
        softly.assertAll();
        return scenarios;
    }

    private static void expect(
            SoftAssertions softly, @Nullable Object seen, Object expected, String what, Scenario scenario) {
        if (seen != null) {
            softly.assertThat(seen).as("%s after %s", what, scenario).isEqualTo(expected);
        }
    }
}
