package io.cloudconnector.common.testing;

import io.cloudconnector.common.event.EventCodec;
import io.cloudconnector.common.event.EventEnvelope;
import java.util.UUID;

/** Messages as an EventBridge rule delivers them to an inbox, for tests that put events into a queue directly. */
public final class BusEvents {

    private BusEvents() {}

    /** The EventBridge event a rule delivers to an inbox, carrying {@code envelope} from {@code source}. */
    public static String fromBus(EventCodec codec, String source, EventEnvelope envelope) {
        return """
                {"version":"0","id":"%s","detail-type":"%s","source":"%s","account":"%s",
                 "time":"%s","region":"us-east-1","resources":[],"detail":%s}""".formatted(
                        UUID.randomUUID(),
                        envelope.type(),
                        source,
                        AwsEmulator.ACCOUNT_ID,
                        envelope.time(),
                        codec.encode(envelope));
    }
}
