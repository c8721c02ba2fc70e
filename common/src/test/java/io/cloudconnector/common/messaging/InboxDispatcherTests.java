package io.cloudconnector.common.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long a message whose event another consumer holds stays hidden. */
class InboxDispatcherTests {

    @Test
    void aBusyEventComesBackJustAfterTheLeaseRunsOut() {
        assertThat(InboxDispatcher.busyVisibilitySeconds(Duration.ofSeconds(30), 1))
                .isEqualTo(31);
        assertThat(InboxDispatcher.busyVisibilitySeconds(Duration.ofMillis(29_001), 3))
                .isEqualTo(33);
    }

    @Test
    void aLeaseThatHasJustRunOutLeavesOnlyTheJitter() {
        assertThat(InboxDispatcher.busyVisibilitySeconds(Duration.ZERO, 2)).isEqualTo(2);
        assertThat(InboxDispatcher.busyVisibilitySeconds(Duration.ofSeconds(-5), 4))
                .isEqualTo(4);
    }

    @Test
    void neverMoreThanSqsAllows() {
        assertThat(InboxDispatcher.busyVisibilitySeconds(Duration.ofDays(3), 5))
                .isEqualTo(InboxDispatcher.MAX_VISIBILITY_SECONDS)
                .isEqualTo(43_200);
    }
}
