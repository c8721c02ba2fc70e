package io.cloudconnector.common.event;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An EC2 instance or EBS volume appeared, changed or vanished; {@code before}/{@code after} are its attributes. */
public record AssetChanged(
        String assetId,
        AssetChange change,
        @Nullable Map<String, Object> before,
        @Nullable Map<String, Object> after) implements ConnectorEvent {}
