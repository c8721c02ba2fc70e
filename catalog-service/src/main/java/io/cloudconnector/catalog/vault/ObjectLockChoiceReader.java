package io.cloudconnector.catalog.vault;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads {@code objectLock} of a {@code POST /v1/vaults} body so that its three cases stay apart: a lock, {@code null}
 * (a choice of none: empty), or no field at all (no choice: null, the default lock). Jackson alone reads both of the
 * last two as empty.
 */
final class ObjectLockChoiceReader extends ValueDeserializer<Optional<ObjectLock>> {

    @Override
    public Optional<ObjectLock> deserialize(JsonParser parser, DeserializationContext context) {
        return Optional.of(context.readValue(parser, ObjectLock.class));
    }

    @Override
    public Object getNullValue(DeserializationContext context) {
        return Optional.empty();
    }

    @Override
    public @Nullable Object getAbsentValue(DeserializationContext context) {
        return null;
    }
}
