package io.cloudconnector.e2e.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The backup demo's phase line and its polling pauses. */
class BackupDemoTests {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void thePhaseLineListsTheLoggedPhasesInTheirOrderWithTheirSeconds() {
        var job = json.readTree("""
                {"eventLog": [
                  {"time": "2026-12-07T17:00:00Z", "type": "created"},
                  {"time": "2026-12-07T17:00:00Z", "type": "phase", "phase": "queued", "millis": 48},
                  {"time": "2026-12-07T17:00:00.048Z", "type": "started"},
                  {"time": "2026-12-07T17:00:00.048Z", "type": "phase", "phase": "snapshot", "millis": 812},
                  {"time": "2026-12-07T17:00:01Z", "type": "succeeded"}]}""");

        assertThat(BackupDemo.phases(job)).isEqualTo("queued 0.05 s · snapshot 0.81 s");
    }

    @Test
    void aJobWithoutPhasesSaysSo() {
        assertThat(BackupDemo.phases(json.readTree("{\"eventLog\": [{\"type\": \"created\"}]}")))
                .isEqualTo("(none reported)");
    }

    @Test
    void pollsStartFastAndSlowDownTo100MillisecondsWithJitter() {
        assertThat(BackupDemo.pause(0)).isBetween(16L, 24L);
        assertThat(BackupDemo.pause(1)).isBetween(32L, 48L);
        assertThat(BackupDemo.pause(2)).isBetween(64L, 96L);
        for (int n = 3; n < 100; n++) {
            assertThat(BackupDemo.pause(n)).isBetween(80L, 120L);
        }
    }
}
