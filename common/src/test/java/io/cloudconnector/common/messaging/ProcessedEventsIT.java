package io.cloudconnector.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.cloudconnector.common.messaging.ProcessedEvents.Claim;
import io.cloudconnector.common.store.ServiceTable;
import io.cloudconnector.common.testing.AwsEmulator;
import io.cloudconnector.common.testing.ConnectorStack;
import io.cloudconnector.common.testing.MutableClock;
import io.cloudconnector.common.testing.WithAwsEmulator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The claim protocol that makes every inbox consumer handle an event once, against DynamoDB in the emulator. */
@WithAwsEmulator
class ProcessedEventsIT {

    private static final Duration LEASE = Duration.ofSeconds(90);
    private static DynamoDbClient dynamo;
    private static ServiceTable table;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final ProcessedEvents processed = new ProcessedEvents(dynamo, table, clock, LEASE, Duration.ofDays(7));

    @BeforeAll
    static void table(AwsEmulator emulator) {
        ConnectorStack.deploy(emulator);
        dynamo = ConnectorStack.clients(emulator).sync(DynamoDbClient.builder());
        table = new ServiceTable(dynamo, "cc-test-catalog");
    }

    @AfterAll
    static void close() {
        dynamo.close();
    }

    @Test
    void whileOneConsumerHoldsAnEventEveryOtherIsToldItIsBusy() {
        // The emulator does not serialise concurrent conditional writes as DynamoDB does, so the race is shown
        // one claim after the other: the condition, not timing, is what keeps a second consumer out.
        assertThat(processed.claim("e-race", "JobCancelled")).isEqualTo(Claim.ACQUIRED);

        for (int other = 0; other < 3; other++) {
            assertThat(processed.claim("e-race", "JobCancelled")).isEqualTo(Claim.BUSY);
        }
    }

    @Test
    void aCompletedEventIsSkippedFromThenOn() {
        assertThat(processed.claim("e-done", "JobCancelled")).isEqualTo(Claim.ACQUIRED);
        processed.complete("e-done", "JobCancelled");

        clock.advance(Duration.ofHours(1));

        assertThat(processed.claim("e-done", "JobCancelled")).isEqualTo(Claim.ALREADY_DONE);
    }

    @Test
    void aDeadConsumersLeaseExpiresAndIsTakenOver() {
        assertThat(processed.claim("e-crash", "JobCancelled")).isEqualTo(Claim.ACQUIRED);

        clock.advance(LEASE.minusSeconds(1));
        assertThat(processed.claim("e-crash", "JobCancelled")).isEqualTo(Claim.BUSY);

        clock.advance(Duration.ofSeconds(2));
        assertThat(processed.claim("e-crash", "JobCancelled")).isEqualTo(Claim.ACQUIRED);
    }

    @Test
    void aBusyClaimSaysHowLongTheOtherConsumersLeaseStillHolds() {
        assertThat(processed.attempt("e-left", "JobCancelled").claim()).isEqualTo(Claim.ACQUIRED);

        clock.advance(Duration.ofSeconds(30));

        assertThat(processed.attempt("e-left", "JobCancelled"))
                .isEqualTo(new ProcessedEvents.Attempt(Claim.BUSY, LEASE.minusSeconds(30)));
        processed.complete("e-left", "JobCancelled");
        assertThat(processed.attempt("e-left", "JobCancelled"))
                .isEqualTo(new ProcessedEvents.Attempt(Claim.ALREADY_DONE, Duration.ZERO));
    }

    @Test
    void aReleasedClaimCanBeTakenAtOnce() {
        assertThat(processed.claim("e-failed", "JobCancelled")).isEqualTo(Claim.ACQUIRED);

        processed.release("e-failed");

        assertThat(processed.claim("e-failed", "JobCancelled")).isEqualTo(Claim.ACQUIRED);
    }

    @Test
    void handledEventsExpireThroughTtl() {
        processed.claim("e-ttl", "JobCancelled");
        processed.complete("e-ttl", "JobCancelled");

        var item = table.get("EVENT#e-ttl", "PROCESSED").orElseThrow();
        assertThat(Long.parseLong(item.get("expiresAt").n()))
                .isEqualTo(clock.instant().plus(Duration.ofDays(7)).getEpochSecond());
    }
}
