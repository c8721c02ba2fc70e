package io.cloudconnector.common.event;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of event types: each permitted {@link ConnectorEvent} record under its simple name. */
public final class EventTypes {

    /** The schema version every event is written with today. */
    public static final int CURRENT_VERSION = 1;

    private static final Map<String, Class<? extends ConnectorEvent>> BY_NAME = Arrays.stream(
                    ConnectorEvent.class.getPermittedSubclasses())
            .map(EventTypes::asEventClass)
            .collect(Collectors.toUnmodifiableMap(Class::getSimpleName, Function.identity()));

    private EventTypes() {}

    /** The wire type of an event, e.g. {@code RecoveryPointCreated}. */
    public static String typeOf(ConnectorEvent event) {
        return event.getClass().getSimpleName();
    }

    /** The wire type of an event class. */
    public static String typeOf(Class<? extends ConnectorEvent> type) {
        return type.getSimpleName();
    }

    /** The record class of a wire type, if this version of the connector knows it. */
    public static Optional<Class<? extends ConnectorEvent>> classOf(String type) {
        return Optional.ofNullable(BY_NAME.get(type));
    }

    /** Every known wire type. */
    public static java.util.Set<String> names() {
        return BY_NAME.keySet();
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends ConnectorEvent> asEventClass(Class<?> type) {
        return (Class<? extends ConnectorEvent>) type;
    }
}
